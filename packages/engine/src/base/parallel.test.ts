import { describe, expect, it, vi } from "vitest";
import { AbortedError } from "./errors.js";
import { workerPool } from "./parallel.js";

/** A task that records how many run at once, and finishes after `ms`. */
function counting(ms = 5) {
  const seen = { running: 0, most: 0, order: [] as number[] };
  const task = (n: number) => async () => {
    seen.running++;
    seen.most = Math.max(seen.most, seen.running);
    seen.order.push(n);
    await new Promise((resolve) => setTimeout(resolve, ms));
    seen.running--;
    return n;
  };
  return { seen, task };
}

describe("workerPool", () => {
  it("runs at most the limit at once, in the order given, and returns each task's result", async () => {
    const { seen, task } = counting();
    const pool = workerPool({ limit: 3 });
    const results = await Promise.all([0, 1, 2, 3, 4, 5, 6].map((n) => pool.run(task(n))));
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(seen.most).toBe(3);
    expect(seen.order).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("takes COMPOSE_PARALLEL_LIMIT when the caller gives no limit", async () => {
    vi.stubEnv("COMPOSE_PARALLEL_LIMIT", "2");
    try {
      const { seen, task } = counting();
      const pool = workerPool();
      await Promise.all([0, 1, 2, 3, 4].map((n) => pool.run(task(n))));
      expect(seen.most).toBe(2);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("each: after the first failure starts nothing new, lets the started finish, throws the first failure", async () => {
    const pool = workerPool({ limit: 2 });
    const started: number[] = [];
    const finished: number[] = [];
    const run = pool.each([0, 1, 2, 3, 4], async (n) => {
      started.push(n);
      await new Promise((resolve) => setTimeout(resolve, n === 0 ? 1 : 20));
      finished.push(n);
      throw new Error(`${n} broke`);
    });
    await expect(run).rejects.toThrow("0 broke");
    expect(started).toEqual([0, 1]);
    expect(finished).toEqual([0, 1]);
  });

  it("after Ctrl-C starts nothing that waits for a slot", async () => {
    const abort = new AbortController();
    const pool = workerPool({ limit: 1, signal: abort.signal, operation: "pull" });
    const started: number[] = [];
    const run = pool.each([0, 1, 2], async (n) => {
      started.push(n);
      abort.abort();
    });
    await expect(run).rejects.toThrow(new AbortedError("pull").message);
    expect(started).toEqual([0]);
  });
});
