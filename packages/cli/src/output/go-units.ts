/**
 * Sizes written as docker writes them (github.com/docker/go-units), so that tables and `--format json`
 * carry the same text as docker's: `1.5MiB`, `12.3kB`, `1e+03B`.
 */

const DECIMAL = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
const BINARY = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

/** Go's `%.<precision>g`: fixed notation unless the exponent is below -4 or reaches the precision. */
export function goFormatG(value: number, precision: number): string {
  if (value === 0) return "0";
  const [mantissa = "", exponentText = "0"] = value.toExponential(precision - 1).split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= precision) {
    const digits = String(Math.abs(exponent)).padStart(2, "0");
    return `${trimZeros(mantissa)}e${exponent < 0 ? "-" : "+"}${digits}`;
  }
  return trimZeros(value.toFixed(Math.max(0, precision - 1 - exponent)));
}

function trimZeros(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

function scaled(size: number, base: number, units: string[]): [number, string] {
  let value = size;
  let unit = 0;
  while (value >= base && unit < units.length - 1) {
    value /= base;
    unit++;
  }
  return [value, units[unit] ?? ""];
}

/** go-units `BytesSize`: binary units, 4 significant digits (`7.667GiB`). */
export function bytesSize(size: number): string {
  const [value, unit] = scaled(size, 1024, BINARY);
  return `${goFormatG(value, 4)}${unit}`;
}

/** go-units `HumanSizeWithPrecision`: decimal units (`1.45kB`); `HumanSize` is precision 4. */
export function humanSize(size: number, precision = 4): string {
  const [value, unit] = scaled(size, 1000, DECIMAL);
  return `${goFormatG(value, precision)}${unit}`;
}
