import type { CommandContext } from "./context.js";
import { UsageError } from "./errors.js";

/**
 * Commands that print their plan under `--dry-run`; each also takes the flag after its name. A
 * subcommand is named with its parent (`deploy rm`), so that its parent's plan does not cover it.
 */
export const PLANNED = new Set([
  "up",
  "create",
  "start",
  "stop",
  "restart",
  "kill",
  "pause",
  "unpause",
  "rm",
  "down",
  "scale",
  "deploy",
  "build",
  "pull",
  "push",
  "run",
]);
/** Commands that change nothing, so `--dry-run` lets them run as they are. */
const READ_ONLY = new Set([
  "config",
  "ps",
  "logs",
  "ls",
  "images",
  "port",
  "top",
  "events",
  "version",
  "help",
  "stats",
  "volumes",
  "viz",
  "alpha viz",
  "deploy ls",
  "deploy ps",
]);

/**
 * `--dry-run` must change nothing: a command that would change something without a plan to show
 * (exec, cp, attach, commit, export, wait, deploy rm) is refused before it starts.
 */
export function checkDryRun(ctx: CommandContext, command: string): void {
  if (!ctx.global.dryRun || PLANNED.has(command) || READ_ONLY.has(command)) return;
  throw new UsageError(`--dry-run is not supported by berth ${command}: run it without --dry-run`);
}
