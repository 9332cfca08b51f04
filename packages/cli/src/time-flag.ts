import { UsageError } from "./errors.js";

const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/**
 * `--since`/`--until` as docker reads them: a relative duration (`42m`, `1h30m`) counted back from now,
 * Unix seconds, or a date (`2013-01-02T13:23:37Z`). The engine only takes the last two, so durations are
 * turned into Unix seconds here.
 */
export function parseTimeFlag(flag: string, value: string, nowMs: number = Date.now()): string {
  if (/^\d+(\.\d+)?$/.test(value)) return value;
  if (/^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/.test(value)) {
    let seconds = 0;
    for (const [, n, unit] of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)/g))
      seconds += Number(n) * UNIT_SECONDS[unit];
    return String(Math.floor(nowMs / 1000 - seconds));
  }
  const date = Date.parse(value);
  if (Number.isNaN(date)) {
    throw new UsageError(
      `invalid ${flag} "${value}": use a duration (42m), Unix seconds or a date (2013-01-02T13:23:37Z)`,
    );
  }
  return String(Math.floor(date / 1000));
}
