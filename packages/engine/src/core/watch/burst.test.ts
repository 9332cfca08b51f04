import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BurstCollector } from "./burst.js";
import type { ChangeKind } from "./plan.js";

describe("BurstCollector", () => {
  beforeEach(() => {
    // setImmediate stays real: the collector uses it to let queued notifications in before it decides.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Advances the clock, then runs what the timers queued with setImmediate at that instant. */
  const tick = async (ms: number) => {
    await vi.advanceTimersByTimeAsync(ms);
    await new Promise((resolve) => setImmediate(resolve));
  };

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
    await tick(30);
    c.add("/b", "write");
    c.add("/a", "remove");
    await tick(51);
    expect(bursts).toEqual([]);
    await tick(1);
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
      await tick(40);
    }
    expect(bursts).toHaveLength(1);
    expect(bursts[0]).toHaveLength(25);
    c.add("/late", "write");
    await tick(500);
    expect(bursts).toHaveLength(1);
    release();
    await tick(100);
    expect(bursts.at(-1)).toEqual([["/late", "write"]]);
  });

  it("waits longer for the tail of a big burst", async () => {
    const { c, bursts } = collector();
    for (let i = 0; i < 200; i++) c.add(`/f${i}`, "write");
    await tick(150);
    // 50 ms + 1 ms for each of 200 changes: a pause of 150 ms does not end it.
    c.add("/tail", "write");
    await tick(252);
    expect(bursts).toHaveLength(1);
    expect(bursts[0]).toHaveLength(201);
  });

  it("waits while the file system still reports activity that has not become a change yet", async () => {
    const { c, bursts } = collector();
    c.add("/a", "write");
    await tick(40);
    c.touch();
    await tick(20);
    // 51 ms after the change, but only 20 ms after the last activity.
    expect(bursts).toEqual([]);
    await tick(32);
    expect(bursts).toEqual([[["/a", "write"]]]);
  });
});
