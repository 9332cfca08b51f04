import type { CommandContext } from "../context.js";
import type { CommitFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { showPlan } from "../output/plan.js";
import { withProgress } from "../progress-run.js";
import { resolveProjectRef } from "../project-ref.js";

/** `commit SERVICE [REPOSITORY[:TAG]]`: progress on stderr ends with the new image's ID, as in compose. */
export async function run(
  ctx: CommandContext,
  [service, reference]: [string, string | undefined],
  opts: CommitFlags,
): Promise<number> {
  const { name } = await resolveProjectRef(ctx, [service]);
  const { commitService, planCommit } = await import("@berth/engine");
  const docker = await connect(ctx);
  if (ctx.global.dryRun)
    return showPlan(ctx, await planCommit(docker, name, service, { index: opts.index, reference }));
  await withProgress(ctx, (onEvent) =>
    commitService(docker, name, service, {
      index: opts.index,
      reference,
      comment: opts.message,
      author: opts.author,
      changes: opts.change,
      pause: opts.pause,
      onEvent,
    }),
  );
  return ExitCode.ok;
}
