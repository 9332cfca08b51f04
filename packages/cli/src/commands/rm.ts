import type { CommandContext } from "../context.js";
import type { RmFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { showPlan } from "../output/plan.js";
import { withProgress } from "../progress-run.js";
import { resolveProjectRef } from "../project-ref.js";

/**
 * Removes the services' stopped containers (running ones too with -s). Berth never prompts, so -f only
 * says so; as with compose, a running container is kept unless -s stops it.
 */
export async function run(ctx: CommandContext, [services]: [string[]], opts: RmFlags): Promise<number> {
  const { name } = await resolveProjectRef(ctx, services);
  const engine = await import("@berth/engine");
  const docker = await connect(ctx);
  if (ctx.global.dryRun) {
    const observed = await engine.observeProject(docker, name);
    const plan = engine.planLifecycle("rm", observed, {
      services,
      stop: opts.stop,
      removeVolumes: opts.volumes,
    });
    return showPlan(ctx, engine.lifecycleSteps(plan));
  }
  const removed = await withProgress(ctx, (onEvent) =>
    engine.removeServices(docker, name, { services, stop: opts.stop, volumes: opts.volumes, onEvent }),
  );
  if (removed === 0) ctx.stderr.write("No stopped containers\n");
  return ExitCode.ok;
}
