import type { ContainerStats, VolumeSummary } from "@berth/engine";
import { describe, expect, it } from "vitest";
import { renderFormat } from "./docker-format.js";
import { STATS_HEADERS, STATS_TABLE, statsFields } from "./stats-format.js";
import { VOLUMES_TABLE, VOLUME_HEADERS, volumeFields } from "./volume-format.js";

const ID = "51789ed9667fc0856d8bb00caf8787bbbf66e5db3d0d1f1ce43c080ae2750963";
const sample: ContainerStats = {
  id: ID,
  name: "shop-db-1",
  service: "db",
  invalid: false,
  cpuPercent: 0.5312,
  memory: 458752,
  memoryLimit: 25275052032,
  memoryPercent: 0.0018,
  netRx: 1110,
  netTx: 0,
  blockRead: 4096,
  blockWrite: 0,
  pids: 2,
};

describe("stats fields", () => {
  it("are docker's texts, the ID cut to 12 characters unless --no-trunc", () => {
    expect(statsFields(sample, true)).toEqual({
      Container: ID,
      Name: "shop-db-1",
      ID: ID.slice(0, 12),
      CPUPerc: "0.53%",
      MemUsage: "448KiB / 23.54GiB",
      MemPerc: "0.00%",
      NetIO: "1.11kB / 0B",
      BlockIO: "4.1kB / 0B",
      PIDs: "2",
    });
    expect(statsFields(sample, false).ID).toBe(ID);
  });

  it("show -- for a container without a sample, as docker does", () => {
    const fields = statsFields({ ...sample, invalid: true }, true);
    expect([
      fields.CPUPerc,
      fields.MemUsage,
      fields.MemPerc,
      fields.NetIO,
      fields.BlockIO,
      fields.PIDs,
    ]).toEqual(["--", "-- / --", "--", "--", "--", "--"]);
  });

  it("make docker's default table", () => {
    expect(renderFormat("table", [statsFields(sample, true)], STATS_HEADERS, STATS_TABLE)).toBe(
      "CONTAINER ID   NAME        CPU %     MEM USAGE / LIMIT   MEM %     NET I/O       BLOCK I/O    PIDS\n" +
        "51789ed9667f   shop-db-1   0.53%     448KiB / 23.54GiB   0.00%     1.11kB / 0B   4.1kB / 0B   2\n",
    );
  });
});

describe("volume fields", () => {
  it("are docker volume ls's, labels sorted and joined, N/A where a single engine has nothing", () => {
    const volume = {
      Name: "shop_data",
      Driver: "local",
      Scope: "local",
      Mountpoint: "/var/lib/docker/volumes/shop_data/_data",
      Labels: { "com.docker.compose.volume": "data", "com.docker.compose.project": "shop" },
      Options: null,
    } as unknown as VolumeSummary;
    expect(renderFormat("json", [volumeFields(volume)], VOLUME_HEADERS, VOLUMES_TABLE)).toBe(
      `${JSON.stringify({
        Availability: "N/A",
        Driver: "local",
        Group: "N/A",
        Labels: "com.docker.compose.project=shop,com.docker.compose.volume=data",
        Links: "N/A",
        Mountpoint: "/var/lib/docker/volumes/shop_data/_data",
        Name: "shop_data",
        Scope: "local",
        Size: "N/A",
        Status: "N/A",
      })}\n`,
    );
  });
});
