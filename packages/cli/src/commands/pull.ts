import type { CommandContext } from "../context.js";
import type { PullFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { interruptible } from "../interrupt.js";
import { showPlan } from "../output/plan.js";
import { withProgress } from "../progress-run.js";
import { loadFromCli } from "../project.js";
import { selectServices } from "../services-arg.js";

export async function run(ctx: CommandContext, [services]: [string[]], opts: PullFlags): Promise<number> {
  const project = await loadFromCli(ctx, { services });
  const engine = await import("@berth/engine");
  const docker = await connect(ctx);
  const plan = await engine.pullPlan(docker, project, selectServices(project, services), {
    includeDeps: opts.includeDeps,
    ignoreBuildable: opts.ignoreBuildable,
    policy: opts.policy,
    ignoreFailures: opts.ignorePullFailures,
  });
  if (ctx.global.dryRun) return showPlan(ctx, engine.imageSteps(plan));
  // Ctrl-C cancels the pulls in flight, even one the registry never answers, and exits 130.
  return interruptible(async (signal) => {
    await withProgress(
      ctx,
      (onEvent) =>
        engine.applyImagePlan(docker, project, plan, { parallel: ctx.global.parallel, signal }, onEvent),
      { quiet: opts.quiet },
    );
    return ExitCode.ok;
  });
}
