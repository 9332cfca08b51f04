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

/**
 * Runs `fn` over `items`, at most `limit` at once; stops taking new items after the first failure or
 * Ctrl-C, waits for those running, and throws the first failure.
 */
export async function runLimited<T>(
  items: T[],
  limit: number,
  signal: AbortSignal | undefined,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < items.length && errors.length === 0) {
      if (signal?.aborted) throw new AbortedError("image operation");
      const item = items[next++];
      try {
        await fn(item);
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (errors.length > 0) throw errors[0];
}

/** Runs at most `limit` tasks at once. */
export function limiter(limit: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}
