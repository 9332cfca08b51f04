import type { CommandContext } from "./context.js";
import type { DryRun } from "./declare/command.js";
import { UsageError } from "./errors.js";

/**
 * `--dry-run` must change nothing: a command that would change something without a plan to show
 * (declared with neither `planned` nor `read-only`: attach, wait, watch)
 * is refused before it starts. A subcommand is named with its parent.
 */
export function checkDryRun(ctx: CommandContext, command: string, dryRun: DryRun | undefined): void {
  if (!ctx.global.dryRun || dryRun !== undefined) return;
  throw new UsageError(`--dry-run is not supported by berth ${command}: run it without --dry-run`);
}
