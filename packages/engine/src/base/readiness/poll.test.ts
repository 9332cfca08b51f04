import { describe, expect, it } from "vitest";
import { EngineErrorCodes } from "../errors.js";
import { type Clock, POLL_MS, Wake, pollUntil } from "./poll.js";

/** Time that passes only when the loop sleeps (or a look takes `lookMs`); records each pause. */
function fakeClock(lookMs = 0): Clock & { pauses: number[]; tick: () => void } {
  let t = 0;
  const pauses: number[] = [];
  return {
    pauses,
    now: () => t,
    tick: () => {
      t += lookMs;
    },
    sleep: async (ms) => {
      pauses.push(ms);
      t += ms;
    },
  };
}

/** A look that is not ready `n` times, then ready. */
function readyAfter(n: number, clock?: { tick: () => void }) {
  let looks = 0;
  const budgets: number[] = [];
  const look = async (budgetMs: number) => {
    budgets.push(budgetMs);
    clock?.tick();
    return { ready: ++looks > n, looks };
  };
  return { look, budgets };
}

describe("pollUntil", () => {
  it("looks at once, then every POLL_MS until a look is ready", async () => {
    const clock = fakeClock();
    const end = await pollUntil(readyAfter(3).look, { clock });
    expect(end).toEqual({ last: { ready: true, looks: 4 }, timedOut: false });
    expect(clock.pauses).toEqual([POLL_MS, POLL_MS, POLL_MS]);
  });

  it("ends at a fatal look without waiting for the deadline", async () => {
    const clock = fakeClock();
    const end = await pollUntil(async () => ({ ready: false, fatal: "exited with code 1" }), {
      clock,
      timeoutMs: 60_000,
    });
    expect(end).toEqual({ last: { ready: false, fatal: "exited with code 1" }, timedOut: false });
    expect(clock.pauses).toEqual([]);
  });

  it("shortens the last pause to the deadline and looks once more there before timing out", async () => {
    const clock = fakeClock(50);
    const { look, budgets } = readyAfter(Number.POSITIVE_INFINITY, clock);
    const end = await pollUntil(look, { clock, timeoutMs: 700 });
    expect(end.timedOut).toBe(true);
    // Looks take 50 ms: 0–50, 250–300, 500–550, 700–750.
    expect(clock.pauses).toEqual([200, 200, 150]);
    expect(end.last).toEqual({ ready: false, looks: 4 });
    // A look may take up to what is left, but never less than 500 ms nor more than 2 s.
    expect(budgets).toEqual([700, 500, 500, 500]);
  });

  it("gives a look at most 2 s without a deadline", async () => {
    const { look, budgets } = readyAfter(0);
    await pollUntil(look, { clock: fakeClock() });
    expect(budgets).toEqual([2000]);
  });

  it("throws AbortedError during a pause as soon as the signal aborts", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = pollUntil(async () => ({ ready: false }), {
      intervalMs: 10 * 60_000,
      signal: controller.signal,
    }).catch((e) => e);
    setTimeout(() => controller.abort(), 20);
    const error = await waiting;
    expect(error.code).toBe(EngineErrorCodes.aborted);
    expect(error.message).toBe("waiting was interrupted");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("does not look at all when the signal has already aborted", async () => {
    const { look, budgets } = readyAfter(0);
    const error = await pollUntil(look, { signal: AbortSignal.abort() }).catch((e) => e);
    expect(error.code).toBe(EngineErrorCodes.aborted);
    expect(budgets).toEqual([]);
  });

  it("ends a pause when woken, and keeps a ring that came during a look", async () => {
    const wake = new Wake();
    let looks = 0;
    const end = await pollUntil(
      async () => {
        looks++;
        if (looks === 1) wake.ring();
        if (looks === 2) setTimeout(() => wake.ring(), 20);
        return { ready: looks === 3 };
      },
      { intervalMs: 10 * 60_000, wake },
    );
    expect(end.last).toEqual({ ready: true });
    expect(looks).toBe(3);
  });
});
