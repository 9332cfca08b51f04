import { ANSI_MODES, PROGRESS_MODES, type RawGlobalOptions } from "../global-options.js";
import { type Flag, flagKey, flags } from "./flag.js";

/**
 * docker compose's global flags: before the command's name (`berth -f a.yaml up`), and after it too
 * (`berth up -f a.yaml`, see `globalFlagsAfter`).
 */
export const GLOBAL_FLAGS = flags(
  { name: "file", short: "f", type: "list", value: "path", help: "compose file (repeatable; - reads stdin)" },
  { name: "project-name", short: "p", type: "string", value: "name", help: "project name" },
  {
    name: "project-directory",
    type: "string",
    value: "path",
    help: "project directory (default: the first compose file's directory)",
  },
  { name: "env-file", type: "list", value: "path", help: "environment file (repeatable)" },
  { name: "profile", type: "list", value: "name", help: "enable a profile (repeatable)" },
  { name: "progress", type: "choice", value: "mode", choices: PROGRESS_MODES, help: "progress output" },
  { name: "ansi", type: "choice", value: "when", choices: ANSI_MODES, help: "control characters" },
  { name: "parallel", type: "string", value: "n", help: "most engine operations at once (-1: no limit)" },
  {
    name: "verbose",
    type: "boolean",
    help: "show more output: each engine request and the stack trace of an error",
  },
  { name: "dry-run", type: "boolean", help: "print what the command would do and why, change nothing" },
);

/**
 * The global flags a command takes after its name, given its own flags: a flag of its own with the same
 * name wins (`build --parallel`, `deploy -p`), and so does one with the same letter (`run -p` is
 * `--publish`, `logs -f` is `--follow`), which leaves the global flag its long name there.
 */
export function globalFlagsAfter(own: readonly Flag[]): Flag[] {
  const keys = new Set(own.map((flag) => flagKey(flag)));
  const shorts = new Set(own.map((flag) => flag.short));
  return GLOBAL_FLAGS.filter((global) => !keys.has(flagKey(global))).map((global: Flag) => {
    if (global.short === undefined || !shorts.has(global.short)) return global;
    const { short: _taken, ...longOnly } = global;
    return longOnly;
  });
}

/**
 * The global flags' values from each place of one command line, in order (before the command's name,
 * then after each command word): a later value wins, and the repeatable ones (`-f`, `--env-file`,
 * `--profile`) add up in order, as repeating them in one place does.
 */
export function mergeGlobalValues(places: readonly Partial<RawGlobalOptions>[]): Partial<RawGlobalOptions> {
  const merged: Record<string, unknown> = {};
  for (const flag of GLOBAL_FLAGS) {
    const key = flagKey(flag);
    for (const place of places) {
      const value = place[key];
      if (value === undefined) continue;
      merged[key] = Array.isArray(value)
        ? [...((merged[key] as string[] | undefined) ?? []), ...value]
        : value;
    }
  }
  return merged as Partial<RawGlobalOptions>;
}
