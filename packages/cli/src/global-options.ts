import type { FlagValues } from "./declare/flag.js";
// The global options and the environment variables that set them, without commander: bin/berth.js's
// version-only path checks them too (src/version-only.ts), and loads no more than this.
import type { GLOBAL_FLAGS } from "./declare/global-flags.js";
import { UsageError } from "./errors.js";

export const PROGRESS_MODES = ["auto", "tty", "plain", "json", "quiet"] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];
export const ANSI_MODES = ["never", "always", "auto"] as const;
export type AnsiMode = (typeof ANSI_MODES)[number];

/** The global flags as commander hands them over (before the subcommand), typed by their declaration. */
export type RawGlobalOptions = FlagValues<typeof GLOBAL_FLAGS>;

export interface GlobalOptions {
  files: string[];
  projectName?: string;
  projectDirectory?: string;
  envFiles: string[];
  profiles: string[];
  progress: ProgressMode;
  ansi: AnsiMode;
  /** Most engine operations at once; undefined means no limit. */
  parallel?: number;
  /** `--verbose`: engine requests and error stack traces on stderr. */
  verbose: boolean;
  /** Show what a command would do and change nothing. */
  dryRun: boolean;
}

export type Env = Record<string, string | undefined>;

/**
 * Flags win over the environment. COMPOSE_FILE, COMPOSE_PROJECT_NAME and COMPOSE_PROFILES are left to the
 * loader, which reads them from the env it is given (and from the project's .env file).
 */
export function resolveGlobalOptions(raw: Partial<RawGlobalOptions>, env: Env): GlobalOptions {
  return {
    files: raw.file ?? [],
    projectName: raw.projectName,
    projectDirectory: raw.projectDirectory,
    envFiles: raw.envFile ?? [],
    profiles: raw.profile ?? [],
    progress: oneOf("--progress", raw.progress ?? env.COMPOSE_PROGRESS ?? "auto", PROGRESS_MODES),
    ansi: oneOf("--ansi", raw.ansi ?? env.COMPOSE_ANSI ?? "auto", ANSI_MODES),
    parallel: parallelLimit(raw.parallel ?? env.COMPOSE_PARALLEL_LIMIT),
    verbose: raw.verbose === true,
    dryRun: raw.dryRun ?? false,
  };
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`invalid value "${value}" for ${flag}: use one of ${allowed.join(", ")}`);
}

/** compose treats -1 (and 0) as "no limit". */
function parallelLimit(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`invalid --parallel value "${value}": expected an integer`);
  return n > 0 ? n : undefined;
}
