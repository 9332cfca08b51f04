import { AbortedError } from "../errors.js";

/**
 * The one polling interval of every readiness wait: `up --wait`, `depends_on` conditions, `startTestStack`'s
 * waits and `deploy --wait`.
 */
export const POLL_MS = 200;
/** One look (an HTTP request, a connect) may take at most this long… */
const LOOK_MAX_MS = 2_000;
/** …and at least this long, so that the last look before the deadline still sees something. */
const LOOK_MIN_MS = 500;

/** Time as the loop sees it; tests pass a fake one. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or as soon as `cancel` aborts. */
  sleep(ms: number, cancel: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, cancel) =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      cancel.addEventListener("abort", done, { once: true });
      function done() {
        clearTimeout(timer);
        cancel.removeEventListener("abort", done);
        resolve();
      }
    }),
};

/** Ends the current pause early (an engine event said something changed); a ring during a look is kept. */
export class Wake {
  private pending = false;
  private listener: (() => void) | undefined;

  ring(): void {
    if (this.listener) this.listener();
    else this.pending = true;
  }

  /** @internal the loop's: calls `listener` at the next ring, or at once for a ring already pending. */
  listen(listener: () => void): () => void {
    if (this.pending) {
      this.pending = false;
      listener();
      return () => {};
    }
    this.listener = listener;
    return () => {
      this.listener = undefined;
    };
  }
}

/** What one look saw: ready, not yet, or never (`fatal` says why). */
export interface Look {
  ready: boolean;
  fatal?: string;
}

export interface PollOptions {
  /** Give up after this long; without it, wait until ready, failed or aborted. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The pause between looks; `POLL_MS` unless a caller must observe faster (tests). */
  intervalMs?: number;
  wake?: Wake;
  clock?: Clock;
}

/** The last look, and whether the loop gave up at the deadline (neither ready nor failed). */
export interface PollEnd<L extends Look> {
  last: L;
  timedOut: boolean;
}

/**
 * Looks until a look is ready or fatal, or the deadline passes; throws `AbortedError` as soon as the
 * signal aborts, also during a pause. `look` gets how long it may take.
 */
export async function pollUntil<L extends Look>(
  look: (budgetMs: number) => Promise<L>,
  opts: PollOptions = {},
): Promise<PollEnd<L>> {
  const clock = opts.clock ?? systemClock;
  const deadline = opts.timeoutMs === undefined ? Number.POSITIVE_INFINITY : clock.now() + opts.timeoutMs;
  for (;;) {
    throwIfAborted(opts.signal);
    const budgetMs = Math.max(LOOK_MIN_MS, Math.min(LOOK_MAX_MS, deadline - clock.now()));
    const last = await look(budgetMs);
    if (last.ready || last.fatal !== undefined) return { last, timedOut: false };
    const left = deadline - clock.now();
    if (left <= 0) return { last, timedOut: true };
    await pause(Math.min(opts.intervalMs ?? POLL_MS, left), clock, opts);
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError("waiting");
}

async function pause(ms: number, clock: Clock, opts: PollOptions): Promise<void> {
  const cancel = new AbortController();
  const stop = () => cancel.abort();
  opts.signal?.addEventListener("abort", stop, { once: true });
  const unlisten = opts.wake?.listen(stop);
  try {
    if (!cancel.signal.aborted) await clock.sleep(ms, cancel.signal);
  } finally {
    opts.signal?.removeEventListener("abort", stop);
    unlisten?.();
  }
  throwIfAborted(opts.signal);
}
