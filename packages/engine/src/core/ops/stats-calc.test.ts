import { describe, expect, it } from "vitest";
import { statsFigures } from "./stats-calc.js";

describe("statsFigures", () => {
  it("measures CPU against the previous sample, times the online CPUs, as docker stats does", () => {
    const figures = statsFigures({
      precpu_stats: { cpu_usage: { total_usage: 1_000 }, system_cpu_usage: 100_000 },
      cpu_stats: { cpu_usage: { total_usage: 3_000 }, system_cpu_usage: 200_000, online_cpus: 2 },
    });
    expect(figures.cpuPercent).toBeCloseTo(4);
  });

  it("counts the per-CPU list when the engine does not say how many CPUs are online, and 0 without a delta", () => {
    const cpu = { cpu_usage: { total_usage: 3_000, percpu_usage: [1, 2, 3, 4] }, system_cpu_usage: 200_000 };
    const previous = { cpu_usage: { total_usage: 1_000 }, system_cpu_usage: 100_000 };
    expect(statsFigures({ precpu_stats: previous, cpu_stats: cpu }).cpuPercent).toBeCloseTo(8);
    expect(statsFigures({ precpu_stats: cpu, cpu_stats: cpu }).cpuPercent).toBe(0);
  });

  it("leaves the inactive page cache out of memory: cgroup v1 and v2", () => {
    const v1 = statsFigures({
      memory_stats: { usage: 1000, limit: 4000, stats: { total_inactive_file: 200 } },
    });
    expect([v1.memory, v1.memoryLimit, v1.memoryPercent]).toEqual([800, 4000, 20]);
    const v2 = statsFigures({ memory_stats: { usage: 1000, limit: 0, stats: { inactive_file: 400 } } });
    expect([v2.memory, v2.memoryPercent]).toEqual([600, 0]);
  });

  it("sums the networks and the block I/O by operation, and takes the PIDs", () => {
    const figures = statsFigures({
      networks: { eth0: { rx_bytes: 10, tx_bytes: 1 }, eth1: { rx_bytes: 5, tx_bytes: 2 } },
      blkio_stats: {
        io_service_bytes_recursive: [
          { op: "Read", value: 4096 },
          { op: "write", value: 100 },
          { op: "Sync", value: 7 },
          { op: "read", value: 4 },
        ],
      },
      pids_stats: { current: 3 },
    });
    expect(figures).toMatchObject({ netRx: 15, netTx: 3, blockRead: 4100, blockWrite: 100, pids: 3 });
  });

  it("reads a stopped container's empty sample as zeros", () => {
    const figures = statsFigures({ blkio_stats: { io_service_bytes_recursive: null } });
    expect(Object.values(figures).every((value) => value === 0)).toBe(true);
  });
});
