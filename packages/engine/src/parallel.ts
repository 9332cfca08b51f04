/**
 * Engine operations at once (pulls, builds, creates, starts) when the caller sets no limit:
 * `COMPOSE_PARALLEL_LIMIT`, else 16. Measured on a busy 2-core engine: 200 services converge without
 * engine errors, and 40 go no slower than unlimited (32 and 64 were slower there).
 */
export function defaultParallel(): number {
  const fromEnv = Number(process.env.COMPOSE_PARALLEL_LIMIT);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 16;
}
