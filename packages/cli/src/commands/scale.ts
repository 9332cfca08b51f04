import type { CommandContext } from "../context.js";
import type { ScaleFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { Interrupt } from "../interrupt.js";
import { showPlan } from "../output/plan.js";
import { withProgress } from "../progress-run.js";
import { loadFromCli } from "../project.js";
import { parseScale } from "../scale.js";

/**
 * `scale web=3 worker=0`: converges those services to that many containers, exactly as
 * `up -d --scale web=3 --scale worker=0 web worker` would (with --no-deps, leaving their dependencies be).
 */
export async function run(ctx: CommandContext, [specifiers]: [string[]], opts: ScaleFlags): Promise<number> {
  const scale =
    parseScale(specifiers, (value) => `invalid scale specifier: ${value}: expected SERVICE=REPLICAS`) ?? {};
  const services = Object.keys(scale).sort();
  // The loader refuses a service that is not in the files (no such service, exit 1).
  const project = await loadFromCli(ctx, { services });
  const engine = await import("@berth/engine");
  const docker = await connect(ctx);
  // Like up without --build/--pull, as compose's scale creates through the same path.
  const upOptions = { services, noDeps: !opts.deps, scale, build: "auto", pull: "policy" } as const;
  if (ctx.global.dryRun) return showPlan(ctx, await engine.dryRunUp(docker, project, upOptions));
  const interrupt = new Interrupt();
  try {
    await withProgress(ctx, (onEvent) =>
      engine.up(
        docker,
        project,
        {
          ...upOptions,
          parallel: ctx.global.parallel,
          signal: interrupt.signal,
        },
        onEvent,
      ),
    );
  } catch (error) {
    if (!interrupt.interrupted) throw error;
  } finally {
    interrupt.dispose();
  }
  return interrupt.interrupted ? ExitCode.interrupted : ExitCode.ok;
}
