import { type Env, resolveGlobalOptions } from "./global-options.js";
import { berthVersion } from "./version.js";

export interface VersionOptions {
  format: "pretty" | "json";
  short?: boolean;
}

/** What `berth version` prints. */
export function versionText(version: string, opts: VersionOptions): string {
  if (opts.short) return `${version}\n`;
  if (opts.format === "json") return `${JSON.stringify({ version: `v${version}` })}\n`;
  return `Berth version v${version}\n`;
}

/**
 * The output of a command line that only asks for the version (`version` with `--short` and
 * `--format pretty|json`, or `-v`/`--version` alone), else undefined: the full program parses every
 * other line, its errors and its help, and reports a global option the environment sets wrong (as it
 * does for every command it runs). bin/berth.js answers these without loading the CLI's bundle,
 * which is most of a short command's start.
 */
export function versionOnlyOutput(argv: readonly string[], env: Env): string | undefined {
  if (argv.length === 1 && (argv[0] === "-v" || argv[0] === "--version")) return `${berthVersion()}\n`;
  if (argv[0] !== "version") return undefined;
  const opts: VersionOptions = { format: "pretty" };
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    const format = arg === "--format" ? argv[++i] : arg.startsWith("--format=") ? arg.slice(9) : undefined;
    if (arg === "--short") opts.short = true;
    else if (format === "pretty" || format === "json") opts.format = format;
    else return undefined;
  }
  try {
    resolveGlobalOptions({}, env);
  } catch {
    return undefined;
  }
  return versionText(berthVersion(), opts);
}
