import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BurstCollector } from "./burst.js";
import type { ChangeKind } from "./plan.js";

describe("BurstCollector", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const collector = () => {
    const bursts: [string, ChangeKind][][] = [];
    let release: () => void = () => {};
    const c = new BurstCollector(
      async (changes) => {
        bursts.push([...changes]);
        await new Promise<void>((r) => {
          release = r;
        });
      },
      { quietMs: 50, perChangeMs: 1, maxMs: 1000 },
    );
    return { c, bursts, release: () => release() };
  };

  it("flushes once the changes go quiet, each path once with its last change", async () => {
    const { c, bursts, release } = collector();
    c.add("/a", "write");
    await vi.advanceTimersByTimeAsync(30);
    c.add("/b", "write");
    c.add("/a", "remove");
    await vi.advanceTimersByTimeAsync(51);
    expect(bursts).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(bursts).toEqual([
      [
        ["/b", "write"],
        ["/a", "remove"],
      ],
    ]);
    release();
  });

  it("flushes a steady stream after maxMs, and keeps what comes during a flush for the next burst", async () => {
    const { c, bursts, release } = collector();
    for (let t = 0; t < 1000; t += 40) {
      c.add(`/f${t}`, "write");
      await vi.advanceTimersByTimeAsync(40);
    }
    expect(bursts).toHaveLength(1);
    expect(bursts[0]).toHaveLength(25);
    c.add("/late", "write");
    await vi.advanceTimersByTimeAsync(500);
    expect(bursts).toHaveLength(1);
    release();
    await vi.advanceTimersByTimeAsync(100);
    expect(bursts.at(-1)).toEqual([["/late", "write"]]);
  });

  it("waits longer for the tail of a big burst", async () => {
    const { c, bursts } = collector();
    for (let i = 0; i < 200; i++) c.add(`/f${i}`, "write");
    await vi.advanceTimersByTimeAsync(150);
    // 50 ms + 1 ms for each of 200 changes: a pause of 150 ms does not end it.
    c.add("/tail", "write");
    await vi.advanceTimersByTimeAsync(252);
    expect(bursts).toHaveLength(1);
    expect(bursts[0]).toHaveLength(201);
  });
});
