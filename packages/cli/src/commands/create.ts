import type { CommandContext } from "../context.js";
import type { CreateFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { UsageError } from "../errors.js";
import { ExitCode } from "../exit-codes.js";
import { interruptible } from "../interrupt.js";
import { showPlan } from "../output/plan.js";
import { withProgress } from "../progress-run.js";
import { loadFromCli } from "../project.js";
import { buildPolicy, parseScale } from "../scale.js";

/**
 * `create`: the path of `up` (images, networks, volumes, containers) with containers left created, not
 * started; `berth start` starts them. Dependencies are created first but not waited for.
 */
export async function run(ctx: CommandContext, [services]: [string[]], opts: CreateFlags): Promise<number> {
  if (opts.forceRecreate && !opts.recreate)
    throw new UsageError("--force-recreate and --no-recreate cannot be combined");
  const scale = parseScale(opts.scale);
  const project = await loadFromCli(ctx, { services });
  const engine = await import("@berth/engine");
  const docker = await connect(ctx);
  const planOptions = {
    services: services.length > 0 ? services : undefined,
    forceRecreate: opts.forceRecreate,
    noRecreate: !opts.recreate,
    removeOrphans: opts.removeOrphans,
    scale,
    noStart: true,
    build: buildPolicy(opts.build),
    pull: opts.pull ?? ("policy" as const),
  };
  if (ctx.global.dryRun) return showPlan(ctx, await engine.dryRunUp(docker, project, planOptions));
  // Ctrl-C cancels what is in flight (pulls, builds, creates) and exits 130, as with up -d.
  return interruptible(async (signal) => {
    await withProgress(ctx, (onEvent) =>
      engine.up(
        docker,
        project,
        {
          ...planOptions,
          quietPull: opts.quietPull,
          parallel: ctx.global.parallel,
          signal,
        },
        onEvent,
      ),
    );
    return ExitCode.ok;
  });
}
