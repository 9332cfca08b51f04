import type { CommandContext } from "./context.js";
import type { DryRun } from "./declare/command.js";
import { UsageError } from "./errors.js";

/**
 * `--dry-run` must change nothing: a command that would change something without a plan to show
 * (declared with neither `planned` nor `read-only`; attach, which joins a container interactively) is
 * refused before it starts. A subcommand is named with its parent.
 */
export function checkDryRun(ctx: CommandContext, command: string, dryRun: DryRun | undefined): void {
  if (!ctx.global.dryRun || dryRun === "planned" || dryRun === "read-only") return;
  const why = dryRun ? ` (${dryRun.refused}, as in docker compose)` : "";
  throw new UsageError(`--dry-run is not supported by berth ${command}${why}: run it without --dry-run`);
}
