import { AbortedError } from "./errors.js";

/**
 * Engine operations at once (pulls, builds, creates, starts) when the caller sets no limit:
 * `COMPOSE_PARALLEL_LIMIT`, else 16. Measured on a busy 2-core engine: 200 services converge without
 * engine errors, and 40 go no slower than unlimited (32 and 64 were slower there).
 */
export function defaultParallel(): number {
  const fromEnv = Number(process.env.COMPOSE_PARALLEL_LIMIT);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 16;
}

export interface PoolOptions {
  /** Tasks at once: the command's `--parallel`, else `defaultParallel()`. */
  limit?: number;
  /** Ctrl-C: from then on a task not started yet never starts; it rejects with `AbortedError`. */
  signal?: AbortSignal;
  /** What the `AbortedError` names ("up was interrupted"). */
  operation?: string;
}

export interface WorkerPool {
  /** Runs `task` once fewer than the limit run, in the order given. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /**
   * Runs `fn` over `items` in the pool. After the first failure no item not yet started starts; once
   * the started ones have settled, the first failure is thrown.
   */
  each<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void>;
}

/** The one worker pool: every engine operation that runs in parallel goes through one, under the one limit. */
export function workerPool(options: PoolOptions = {}): WorkerPool {
  const { limit = defaultParallel(), signal, operation = "operation" } = options;
  const slots = Math.max(1, limit);
  let active = 0;
  const queue: (() => void)[] = [];
  const run = async <T>(task: () => Promise<T>): Promise<T> => {
    // A finishing task hands its slot straight to the next in line, so none can slip in between.
    if (active < slots) active++;
    else await new Promise<void>((resolve) => queue.push(resolve));
    try {
      if (signal?.aborted) throw new AbortedError(operation);
      return await task();
    } finally {
      const next = queue.shift();
      if (next) next();
      else active--;
    }
  };
  const each = async <T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> => {
    let failure: { error: unknown } | undefined;
    await Promise.all(
      items.map((item) =>
        run(async () => {
          if (failure) return;
          try {
            await fn(item);
          } catch (error) {
            // Known before the slot passes on, so the next in line does not start.
            failure ??= { error };
          }
        }).catch((error: unknown) => {
          // Not started: Ctrl-C came first.
          failure ??= { error };
        }),
      ),
    );
    if (failure) throw failure.error;
  };
  return { run, each };
}
