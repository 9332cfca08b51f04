import type { CommandContext } from "../context.js";
import type { WaitFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { showPlan } from "../output/plan.js";
import { withProgress } from "../progress-run.js";
import { resolveProjectRef } from "../project-ref.js";

/**
 * Prints the exit code of each container as it is known and exits with the first one's. With
 * `--down-project` the project then goes down; with `--dry-run` too, the wait is real (it only reads)
 * and the down is printed as the plan `down --dry-run` would print at that moment, and not run.
 */
export async function run(ctx: CommandContext, [services]: [string[]], opts: WaitFlags): Promise<number> {
  const ref = await resolveProjectRef(ctx, services);
  const { down, dryRunDown, waitServices } = await import("@berth/engine");
  const docker = await connect(ctx);
  const statuses = await waitServices(docker, ref.name, { services });
  for (const s of statuses) ctx.stdout.write(`${s.exitCode}\n`);
  if (opts.downProject) {
    const downOptions = { project: ref.project };
    if (ctx.global.dryRun) await showPlan(ctx, await dryRunDown(docker, ref.name, downOptions));
    else await withProgress(ctx, (onEvent) => down(docker, ref.name, downOptions, onEvent));
  }
  return statuses[0]?.exitCode ?? ExitCode.ok;
}
