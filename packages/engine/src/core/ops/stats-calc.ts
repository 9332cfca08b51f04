/** The parts of the engine's stats response (`GET /containers/{id}/stats`) that `stats` shows. */
export interface RawStats {
  name?: string;
  id?: string;
  cpu_stats?: RawCpuStats;
  precpu_stats?: RawCpuStats;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
  blkio_stats?: { io_service_bytes_recursive?: { op?: string; value?: number }[] | null };
  pids_stats?: { current?: number };
}

interface RawCpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] };
  system_cpu_usage?: number;
  online_cpus?: number;
}

/** One container's figures, as docker's `stats` computes them (Linux engines). */
export interface StatsFigures {
  cpuPercent: number;
  /** Bytes in use, page cache left out. */
  memory: number;
  memoryLimit: number;
  memoryPercent: number;
  netRx: number;
  netTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
}

/** docker's figures from one stats sample: CPU against the previous sample, memory without the cache. */
export function statsFigures(raw: RawStats): StatsFigures {
  const memory = memoryWithoutCache(raw.memory_stats ?? {});
  const limit = raw.memory_stats?.limit ?? 0;
  let netRx = 0;
  let netTx = 0;
  for (const net of Object.values(raw.networks ?? {})) {
    netRx += net.rx_bytes ?? 0;
    netTx += net.tx_bytes ?? 0;
  }
  let blockRead = 0;
  let blockWrite = 0;
  for (const entry of raw.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = entry.op?.[0]?.toLowerCase();
    if (op === "r") blockRead += entry.value ?? 0;
    if (op === "w") blockWrite += entry.value ?? 0;
  }
  return {
    cpuPercent: cpuPercent(raw.precpu_stats ?? {}, raw.cpu_stats ?? {}),
    memory,
    memoryLimit: limit,
    memoryPercent: limit !== 0 ? (memory / limit) * 100 : 0,
    netRx,
    netTx,
    blockRead,
    blockWrite,
    pids: raw.pids_stats?.current ?? 0,
  };
}

function cpuPercent(previous: RawCpuStats, current: RawCpuStats): number {
  const cpuDelta = (current.cpu_usage?.total_usage ?? 0) - (previous.cpu_usage?.total_usage ?? 0);
  const systemDelta = (current.system_cpu_usage ?? 0) - (previous.system_cpu_usage ?? 0);
  const cpus = current.online_cpus || (current.cpu_usage?.percpu_usage?.length ?? 0);
  return systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
}

/** Usage minus inactive file pages (cgroup v1: total_inactive_file; v2: inactive_file), as docker does. */
function memoryWithoutCache(mem: { usage?: number; stats?: Record<string, number> }): number {
  const usage = mem.usage ?? 0;
  const v1 = mem.stats?.total_inactive_file;
  if (v1 !== undefined && v1 < usage) return usage - v1;
  const v2 = mem.stats?.inactive_file ?? 0;
  return v2 < usage ? usage - v2 : usage;
}
