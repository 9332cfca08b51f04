import { UsageError } from "./errors.js";

/** `--scale web=3 --scale worker=0`, or `scale`'s own `web=3 worker=0` with its words for a bad one. */
export function parseScale(
  values: string[] | undefined,
  invalid: (value: string) => string = (value) => `invalid --scale "${value}": expected SERVICE=NUMBER`,
): Record<string, number> | undefined {
  if (!values) return undefined;
  const scale: Record<string, number> = {};
  for (const value of values) {
    const eq = value.indexOf("=");
    const n = Number(value.slice(eq + 1));
    if (eq <= 0 || value.slice(eq + 1) === "" || !Number.isInteger(n) || n < 0) {
      throw new UsageError(invalid(value));
    }
    scale[value.slice(0, eq)] = n;
  }
  return scale;
}

/** --build / --no-build / neither, as the engine names it. */
export function buildPolicy(build: boolean | undefined): "always" | "never" | "auto" {
  return build === true ? "always" : build === false ? "never" : "auto";
}
