import type { ContainerStats } from "@berth/engine";
import type { FormatFields } from "./docker-format.js";
import { bytesSize, humanSize } from "./go-units.js";

/** docker's default `stats` table on a Linux engine. */
export const STATS_TABLE =
  "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";

export const STATS_HEADERS: FormatFields = {
  Container: "CONTAINER",
  Name: "NAME",
  ID: "CONTAINER ID",
  CPUPerc: "CPU %",
  MemUsage: "MEM USAGE / LIMIT",
  MemPerc: "MEM %",
  NetIO: "NET I/O",
  BlockIO: "BLOCK I/O",
  PIDs: "PIDS",
};

const NO_VALUE = "--";

function percent(value: number): string {
  return `${value.toFixed(2)}%`;
}

/** A container's figures as the text docker's `stats` shows (and puts in its JSON): `--` without a sample. */
export function statsFields(s: ContainerStats, truncate: boolean): FormatFields {
  const io = (a: number, b: number) => (s.invalid ? NO_VALUE : `${humanSize(a, 3)} / ${humanSize(b, 3)}`);
  return {
    Container: s.id,
    Name: s.name || NO_VALUE,
    ID: truncate ? s.id.slice(0, 12) : s.id,
    CPUPerc: s.invalid ? NO_VALUE : percent(s.cpuPercent),
    MemUsage: s.invalid ? "-- / --" : `${bytesSize(s.memory)} / ${bytesSize(s.memoryLimit)}`,
    MemPerc: s.invalid ? NO_VALUE : percent(s.memoryPercent),
    NetIO: io(s.netRx, s.netTx),
    BlockIO: io(s.blockRead, s.blockWrite),
    PIDs: s.invalid ? NO_VALUE : String(s.pids),
  };
}
