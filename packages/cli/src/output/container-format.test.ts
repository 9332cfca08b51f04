import type { ContainerSummary } from "@berth/engine";
import { describe, expect, it } from "vitest";
import { containerRow, displayablePorts, ellipsis } from "./container-format.js";
import { goTimeString, humanDuration } from "./docker-units.js";

const tcp = (privatePort: number, publicPort?: number, hostIp?: string) => ({
  privatePort,
  protocol: "tcp",
  ...(publicPort === undefined ? {} : { publicPort }),
  ...(hostIp === undefined ? {} : { hostIp }),
});

describe("displayablePorts (docker's Ports text)", () => {
  it("lists ports in ascending order whatever order the engine gave", () => {
    // The engine lists 443 before 80.
    expect(displayablePorts([tcp(443, 443, "0.0.0.0"), tcp(80, 80, "0.0.0.0")])).toBe(
      "0.0.0.0:80->80/tcp, 0.0.0.0:443->443/tcp",
    );
  });

  it("writes IPv6 addresses in brackets after the IPv4 ones, and other host ports last", () => {
    expect(
      displayablePorts([
        tcp(443, 18443, "::"),
        tcp(443, 18443, "0.0.0.0"),
        tcp(80, 80, "::"),
        tcp(80, 80, "0.0.0.0"),
      ]),
    ).toBe("0.0.0.0:80->80/tcp, [::]:80->80/tcp, 0.0.0.0:18443->443/tcp, [::]:18443->443/tcp");
    // By address bytes, not text: 10.0.0.2 before 127.0.0.1, ::2 before ::ffff:10.0.0.1 before fe80::1.
    expect(
      displayablePorts([
        tcp(80, 80, "fe80::1"),
        tcp(80, 80, "127.0.0.1"),
        tcp(80, 80, "::ffff:10.0.0.1"),
        tcp(80, 80, "10.0.0.2"),
        tcp(80, 80, "::2"),
      ]),
    ).toBe(
      "10.0.0.2:80->80/tcp, 127.0.0.1:80->80/tcp, [::2]:80->80/tcp, [::ffff:10.0.0.1]:80->80/tcp, [fe80::1]:80->80/tcp",
    );
  });

  it("joins neighbouring ports into ranges and lists unpublished ports by number", () => {
    expect(
      displayablePorts([
        tcp(8001, 8001, "0.0.0.0"),
        tcp(8000, 8000, "0.0.0.0"),
        tcp(9000),
        { privatePort: 53, protocol: "udp" },
        tcp(8003, 8003, "0.0.0.0"),
      ]),
    ).toBe("0.0.0.0:8000-8001->8000-8001/tcp, 53/udp, 0.0.0.0:8003->8003/tcp, 9000/tcp");
    expect(displayablePorts([])).toBe("");
  });
});

describe("containerRow (docker compose ps --format json)", () => {
  const created = new Date("2026-12-06T14:00:00Z");
  const container: ContainerSummary = {
    id: "9de27a209d5341503855ebe843d0e728facacd48258d19024b3482b496184ce9",
    name: "shop-web-1",
    service: "web",
    number: 1,
    state: "running",
    status: "Up 5 minutes (healthy)",
    health: "healthy",
    ports: [tcp(80, 80, "0.0.0.0"), tcp(443, 443, "0.0.0.0")],
    image: "nginx:1.27",
    command: "/docker-entrypoint.sh nginx -g 'daemon off;'",
    created,
    project: "shop",
    names: ["/shop-web-1"],
    labels: { "com.docker.compose.service": "web", "com.docker.compose.project": "shop" },
    networks: ["shop_default"],
    mounts: ["shop_static_files", "/srv/site"],
    localVolumes: 1,
  };

  it("has compose's fields, in its order, with its types", () => {
    const row = containerRow(container, new Date("2026-12-06T14:05:30Z"));
    expect(JSON.stringify(row)).toBe(
      JSON.stringify({
        Command: '"/docker-entrypoint.…"',
        CreatedAt: goTimeString(created),
        ExitCode: 0,
        Health: "healthy",
        ID: "9de27a209d53",
        Image: "nginx:1.27",
        Labels: "com.docker.compose.project=shop,com.docker.compose.service=web",
        LocalVolumes: "1",
        Mounts: "shop_static_fi…,/srv/site",
        Name: "shop-web-1",
        Names: "shop-web-1",
        Networks: "shop_default",
        Ports: "0.0.0.0:80->80/tcp, 0.0.0.0:443->443/tcp",
        Project: "shop",
        Publishers: [
          { URL: "0.0.0.0", TargetPort: 80, PublishedPort: 80, Protocol: "tcp" },
          { URL: "0.0.0.0", TargetPort: 443, PublishedPort: 443, Protocol: "tcp" },
        ],
        RunningFor: "5 minutes ago",
        Service: "web",
        Size: "0B",
        State: "running",
        Status: "Up 5 minutes (healthy)",
      }),
    );
  });

  it("reports the exit code of an exited container and no publisher for an unpublished port", () => {
    const row = containerRow(
      { ...container, state: "exited", status: "Exited (3) 1 second ago", exitCode: 3, ports: [tcp(80)] },
      created,
    );
    expect(row).toMatchObject({ ExitCode: 3, Ports: "80/tcp" });
    expect(row.Publishers).toEqual([{ URL: "", TargetPort: 80, PublishedPort: 0, Protocol: "tcp" }]);
  });
});

describe("docker's units", () => {
  it("prints durations as go-units does", () => {
    expect(humanDuration(500)).toBe("Less than a second");
    expect(humanDuration(1000)).toBe("1 second");
    expect(humanDuration(59_000)).toBe("59 seconds");
    expect(humanDuration(90_000)).toBe("About a minute");
    expect(humanDuration(45 * 60_000)).toBe("45 minutes");
    expect(humanDuration(80 * 60_000)).toBe("About an hour");
    expect(humanDuration(5 * 3_600_000)).toBe("5 hours");
    expect(humanDuration(3 * 86_400_000)).toBe("3 days");
    expect(humanDuration(20 * 86_400_000)).toBe("2 weeks");
    expect(humanDuration(90 * 86_400_000)).toBe("3 months");
    expect(humanDuration(800 * 86_400_000)).toBe("2 years");
  });

  it("prints times as Go's time.Time.String does, in the local zone", () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = "UTC";
      expect(goTimeString(new Date("2026-12-06T14:00:07Z"))).toBe("2026-12-06 14:00:07 +0000 UTC");
      process.env.TZ = "America/New_York";
      expect(goTimeString(new Date("2026-12-06T14:00:07Z"))).toBe("2026-12-06 09:00:07 -0500 EST");
    } finally {
      if (saved === undefined) Reflect.deleteProperty(process.env, "TZ");
      else process.env.TZ = saved;
    }
  });

  it("cuts text with docker's ellipsis", () => {
    expect(ellipsis("abc", 3)).toBe("abc");
    expect(ellipsis("abcd", 3)).toBe("ab…");
  });
});
