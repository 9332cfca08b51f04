import type { CommandContext } from "../context.js";
import type { BuildFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { interruptible } from "../interrupt.js";
import { showPlan } from "../output/plan.js";
import { withProgress } from "../progress-run.js";
import { loadFromCli } from "../project.js";
import { selectServices } from "../services-arg.js";

/** `--build-arg KEY=VALUE` and `--build-arg KEY` (value from the environment, as docker compose). */
export function parseBuildArgs(flags: readonly string[] = []): Record<string, string | null> {
  const args: Record<string, string | null> = {};
  for (const flag of flags) {
    const eq = flag.indexOf("=");
    if (eq === -1) args[flag] = null;
    else args[flag.slice(0, eq)] = flag.slice(eq + 1);
  }
  return args;
}

/** Ctrl-C cancels the builds in flight (the engine removes the step's container) and exits 130. */
export function run(ctx: CommandContext, [services]: [string[]], opts: BuildFlags): Promise<number> {
  return interruptible((signal) => build(ctx, services, opts, signal));
}

async function build(
  ctx: CommandContext,
  services: string[],
  opts: BuildFlags,
  signal: AbortSignal,
): Promise<number> {
  const project = await loadFromCli(ctx, { services });
  const engine = await import("@berth/engine");
  const plan = engine.planBuild(project, selectServices(project, services));
  if (ctx.global.dryRun) return showPlan(ctx, engine.imageSteps(plan));
  const docker = await connect(ctx);
  await withProgress(
    ctx,
    (onEvent) =>
      engine.applyImagePlan(
        docker,
        project,
        plan,
        {
          parallel: ctx.global.parallel,
          noCache: !opts.cache,
          pullBase: opts.pull,
          buildArgs: parseBuildArgs(opts.buildArg),
          signal,
        },
        onEvent,
      ),
    { quiet: opts.quiet },
  );
  return ExitCode.ok;
}
