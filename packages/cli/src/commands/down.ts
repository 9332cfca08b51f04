import type { CommandContext } from "../context.js";
import type { DownFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { showPlan } from "../output/plan.js";
import { withProgress } from "../progress-run.js";
import { resolveProjectRef } from "../project-ref.js";

/** Works from the compose file, or from the project name alone once the file is gone. */
export async function run(ctx: CommandContext, [services]: [string[]], opts: DownFlags): Promise<number> {
  const ref = await resolveProjectRef(ctx, services);
  const engine = await import("@berth/engine");
  const docker = await connect(ctx);
  const downOptions = {
    project: ref.project,
    services,
    volumes: opts.volumes,
    rmi: opts.rmi,
    removeOrphans: opts.removeOrphans,
    timeoutSeconds: opts.timeout,
  };
  if (ctx.global.dryRun) return showPlan(ctx, await engine.dryRunDown(docker, ref.name, downOptions));
  await withProgress(ctx, (onEvent) =>
    engine.down(docker, ref.name, { ...downOptions, parallel: ctx.global.parallel }, onEvent),
  );
  return ExitCode.ok;
}
