import { existsSync, readFileSync, readdirSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** What test/hostile/generate.mjs writes in case.json (see its header). */
export interface CaseMeta {
  category: string;
  description: string;
  expect: "load-error" | "engine-error" | "no-crash";
  includes?: string;
  located?: boolean;
  cli?: boolean;
}

/** args.json: what a user would pass on the command line and in the environment. */
export interface CaseArgs {
  projectName?: string;
  envFiles?: string[];
  env?: Record<string, string>;
}

export interface HostileCase {
  id: string;
  dir: string;
  meta: CaseMeta;
  args: CaseArgs;
}

export const casesDir = fileURLToPath(new URL("./cases", import.meta.url));

export function readCases(): HostileCase[] {
  return readdirSync(casesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const dir = path.join(casesDir, d.name);
      const argsFile = path.join(dir, "args.json");
      return {
        id: d.name,
        dir,
        meta: JSON.parse(readFileSync(path.join(dir, "case.json"), "utf8")) as CaseMeta,
        args: existsSync(argsFile) ? (JSON.parse(readFileSync(argsFile, "utf8")) as CaseArgs) : {},
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Variables the duplicate-resource cases need; the test gives them unique values. */
export function caseEnv(c: HostileCase, unique: { id: string; port: number }): Record<string, string> {
  return { HOSTILE_ID: unique.id, HOSTILE_PORT: String(unique.port), ...c.args.env };
}

/**
 * Any one input gets a verdict within 2 s on an idle machine. The limit grows with the load per core,
 * so that a machine shared with other test runs reports slowness, not contention.
 */
export function timeLimit(): number {
  return 2_000 * Math.max(1, loadavg()[0]! / availableParallelism());
}
