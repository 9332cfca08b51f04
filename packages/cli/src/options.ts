import { InvalidArgumentError } from "commander";

export {
  ANSI_MODES,
  type AnsiMode,
  type Env,
  type GlobalOptions,
  PROGRESS_MODES,
  type ProgressMode,
  type RawGlobalOptions,
  resolveGlobalOptions,
} from "./global-options.js";

/** Appends each use of a repeatable flag (`-f a -f b`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Parses a non-negative integer flag value (`--tail 10`, `-t 5`). */
export function integer(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${flag} expects a whole number.`);
    return n;
  };
}

const GO_BOOLS: Record<string, boolean> = {
  "1": true,
  t: true,
  T: true,
  true: true,
  TRUE: true,
  True: true,
  "0": false,
  f: false,
  F: false,
  false: false,
  FALSE: false,
  False: false,
};

/** A Go-style boolean flag that defaults to true: `--sig-proxy=false` turns it off, as in docker compose. */
export function boolFlag(value: string): boolean {
  const parsed = GO_BOOLS[value];
  if (parsed === undefined) throw new InvalidArgumentError(`expects true or false, not "${value}".`);
  return parsed;
}
