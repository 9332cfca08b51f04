import type { Project } from "@berth/compose-schema";
import type { CommandContext } from "../context.js";
import type { WatchFlags } from "../declare/commands.js";
import { type Docker, connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { Interrupt } from "../interrupt.js";
import { showPlan } from "../output/plan.js";
import { createWatchOutput } from "../output/watch-lines.js";
import { withProgress } from "../progress-run.js";
import { loadFromCli } from "../project.js";

/**
 * `berth watch [SERVICE…]`: builds and starts the services (as `up --build -d`, unless `--no-up`), then
 * acts on their `develop.watch` rules until Ctrl-C, which ends the watch at once (exit 130) and leaves the
 * containers running. With `--dry-run`, the up's plan is printed instead of run, and each burst's plan
 * instead of acted on; the files are watched for real.
 */
export async function run(ctx: CommandContext, [services]: [string[]], opts: WatchFlags): Promise<number> {
  const project = await loadFromCli(ctx, { services });
  const engine = await import("@berth/engine");
  // Before anything starts: a service list without rules, or a rule that cannot work, is an error now.
  assertWatchable(engine, project, services);
  const docker = await connect(ctx);
  const interrupt = new Interrupt();
  try {
    const upOptions = { services: services.length > 0 ? services : undefined, build: "always" as const };
    if (opts.up && ctx.global.dryRun) await showPlan(ctx, await engine.dryRunUp(docker, project, upOptions));
    else if (opts.up) {
      try {
        await withProgress(ctx, (onEvent) =>
          engine.up(
            docker,
            project,
            { ...upOptions, quietPull: opts.quiet, parallel: ctx.global.parallel, signal: interrupt.signal },
            onEvent,
          ),
        );
      } catch (error) {
        if (interrupt.interrupted) return ExitCode.interrupted;
        throw error;
      }
    }
    return await watchUntilInterrupted(ctx, docker, project, services, opts, interrupt);
  } finally {
    interrupt.dispose();
  }
}

type Engine = typeof import("@berth/engine");

/** Throws the rule errors of the services, or that none of them has rules. */
export function assertWatchable(engine: Engine, project: Project, services: string[]): void {
  const names = services.length > 0 ? services : Object.keys(project.services);
  const withRules = names.filter((name) => engine.watchRules(project, project.services[name]).length > 0);
  if (withRules.length === 0) throw new engine.NoWatchRulesError(names);
}

/** A running watch and its output; `close` ends both. */
export interface RunningWatch {
  failed: Promise<never>;
  close(): Promise<void>;
}

/** Starts watching the services' rules, with one output line per service and burst (its plan with `--dry-run`). */
export async function startWatch(
  ctx: CommandContext,
  docker: Docker,
  project: Project,
  services: string[],
  opts: { prune?: boolean; quiet?: boolean },
): Promise<RunningWatch> {
  const engine = await import("@berth/engine");
  const output = await createWatchOutput(ctx);
  try {
    const session = await engine.watchProject(
      docker,
      project,
      {
        services,
        prune: opts.prune,
        quiet: opts.quiet,
        parallel: ctx.global.parallel,
        dryRun: ctx.global.dryRun,
      },
      (event) => output.onEvent(event),
    );
    let closing: Promise<void> | undefined;
    return {
      failed: session.failed,
      close: () => {
        closing ??= session.close().finally(() => output.close());
        return closing;
      },
    };
  } catch (error) {
    await output.close();
    throw error;
  }
}

/** Watches until the first Ctrl-C (130); a failure of the watch itself (the inotify limit) propagates. */
export async function watchUntilInterrupted(
  ctx: CommandContext,
  docker: Docker,
  project: Project,
  services: string[],
  opts: { prune?: boolean; quiet?: boolean },
  interrupt: Interrupt,
): Promise<number> {
  const watch = await startWatch(ctx, docker, project, services, opts);
  try {
    await Promise.race([interrupt.first(), watch.failed]);
  } finally {
    await watch.close();
  }
  return ExitCode.interrupted;
}
