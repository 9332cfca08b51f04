/**
 * Durations and byte sizes the way compose reads and prints them: durations follow Go's
 * `time.ParseDuration`/`Duration.String`, sizes docker's `go-units` `RAMInBytes` (binary units).
 */

const durationUnits: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** Nanoseconds in a Go duration such as "1m30s", "1.5h" or "500ms"; undefined when invalid. */
export function parseDuration(text: string): number | undefined {
  let s = text;
  let sign = 1n;
  if (s.startsWith("-") || s.startsWith("+")) {
    if (s[0] === "-") sign = -1n;
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") return undefined;
  let total = 0n;
  const part = /^([0-9]*)(?:\.([0-9]*))?([^0-9.]+)/;
  while (s !== "") {
    const m = part.exec(s);
    if (!m) return undefined;
    const [all, int = "", frac = "", unit = ""] = m;
    if (int === "" && frac === "") return undefined;
    const scale = durationUnits[unit];
    if (scale === undefined) return undefined;
    total += BigInt(int || "0") * scale;
    if (frac !== "") total += (BigInt(frac) * scale) / 10n ** BigInt(frac.length);
    s = s.slice(all.length);
  }
  return Number(sign * total);
}

/** A duration in nanoseconds as Go prints it: "1m30s", "1h0m0s", "1.5ms", "0s". */
export function formatDuration(nanoseconds: number): string {
  const neg = nanoseconds < 0;
  let u = BigInt(Math.abs(Math.round(nanoseconds)));
  let out: string;
  if (u === 0n) return "0s";
  if (u < 1_000_000_000n) {
    const [prec, unit] = u < 1_000n ? [0, "ns"] : u < 1_000_000n ? [3, "µs"] : [6, "ms"];
    const [frac, rest] = fraction(u, prec);
    out = `${rest}${frac}${unit}`;
  } else {
    const [frac, seconds] = fraction(u, 9);
    u = seconds;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** Splits off `prec` decimal digits: ".5" (trailing zeros dropped, "" when all zero) and the integer part. */
function fraction(v: bigint, prec: number): [string, bigint] {
  const div = 10n ** BigInt(prec);
  const digits = prec === 0 ? "" : (v % div).toString().padStart(prec, "0").replace(/0+$/, "");
  return [digits === "" ? "" : `.${digits}`, v / div];
}

/** Normalizes a duration to Go's canonical form; undefined when it is not a valid duration. */
export function canonicalDuration(text: string): string | undefined {
  const ns = parseDuration(text);
  return ns === undefined ? undefined : formatDuration(ns);
}

const byteUnits: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/**
 * Bytes in a size such as "512m", "1.5GB", "64 KiB" or 1024 (binary multiples, case-insensitive
 * suffix with optional "b"/"ib"); undefined when invalid.
 */
export function parseBytes(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) && value >= 0 ? value : undefined;
  let sep = -1;
  for (let i = value.length - 1; i >= 0; i--) {
    if ("0123456789. ".includes(value[i] ?? "")) {
      sep = i;
      break;
    }
  }
  if (sep < 0) return undefined;
  const num = value[sep] === " " ? value.slice(0, sep) : value.slice(0, sep + 1);
  const suffix = value.slice(sep + 1).toLowerCase();
  if (!/^[0-9]*\.?[0-9]*(e[-+]?[0-9]+)?$/i.test(num) || num === "" || num === ".") return undefined;
  const size = Number(num);
  if (Number.isNaN(size) || size < 0) return undefined;
  if (suffix === "" || suffix === "b") return Math.trunc(size);
  const mul = byteUnits[suffix[0] ?? ""];
  if (mul === undefined || suffix.length > 3) return undefined;
  if (suffix.length === 2 && suffix[1] !== "b") return undefined;
  if (suffix.length === 3 && suffix.slice(1) !== "ib") return undefined;
  return Math.trunc(size * mul);
}
