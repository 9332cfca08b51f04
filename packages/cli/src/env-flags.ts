import { UsageError } from "./errors.js";
import type { Env } from "./options.js";

/** `-e KEY=VALUE` pairs; `-e KEY` takes KEY from Berth's own environment, as docker does. */
export function parseEnvFlags(values: string[] | undefined, env: Env): Record<string, string> {
  const result: Record<string, string> = {};
  for (const value of values ?? []) {
    const eq = value.indexOf("=");
    const key = eq < 0 ? value : value.slice(0, eq);
    if (key === "") throw new UsageError(`invalid -e "${value}": expected KEY=VALUE`);
    if (eq >= 0) result[key] = value.slice(eq + 1);
    else if (env[key] !== undefined) result[key] = env[key];
  }
  return result;
}
