import type { CommandContext } from "../context.js";
import type { PushFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { showPlan } from "../output/plan.js";
import { withProgress } from "../progress-run.js";
import { loadFromCli } from "../project.js";
import { selectServices } from "../services-arg.js";

export async function run(ctx: CommandContext, [services]: [string[]], opts: PushFlags): Promise<number> {
  const project = await loadFromCli(ctx, { services });
  const engine = await import("@berth/engine");
  const plan = engine.planPush(project, selectServices(project, services), {
    ignoreFailures: opts.ignorePushFailures,
  });
  if (ctx.global.dryRun) return showPlan(ctx, engine.imageSteps(plan));
  const docker = await connect(ctx);
  await withProgress(
    ctx,
    (onEvent) => engine.applyImagePlan(docker, project, plan, { parallel: ctx.global.parallel }, onEvent),
    { quiet: opts.quiet },
  );
  return ExitCode.ok;
}
