import type { Project } from "@berth/compose-schema";
import { attach, stopOrKill } from "../attach.js";
import type { CommandContext } from "../context.js";
import type { UpFlags } from "../declare/commands.js";
import { type Docker, connect } from "../docker.js";
import { UsageError } from "../errors.js";
import { ExitCode } from "../exit-codes.js";
import { Interrupt } from "../interrupt.js";
import { showPlan } from "../output/plan.js";
import { withProgress } from "../progress-run.js";
import { loadFromCli } from "../project.js";
import { buildPolicy, parseScale } from "../scale.js";
import { assertWatchable, startWatch, watchUntilInterrupted } from "./watch.js";

export async function run(ctx: CommandContext, [services]: [string[]], opts: UpFlags): Promise<number> {
  const detached = opts.detach || opts.wait;
  if (opts.forceRecreate && !opts.recreate)
    throw new UsageError("--force-recreate and --no-recreate cannot be combined");
  if (detached && (opts.abortOnContainerExit || opts.exitCodeFrom)) {
    throw new UsageError(
      "--abort-on-container-exit and --exit-code-from cannot be combined with --detach or --wait",
    );
  }
  if (opts.watch && detached) throw new UsageError("--watch cannot be combined with --detach or --wait");
  // A usage error before the project loads, as for the other flags.
  const scale = parseScale(opts.scale);
  const project = await loadFromCli(ctx, { services });
  if (opts.watch) assertWatchable(await import("@berth/engine"), project, services);
  if (opts.exitCodeFrom && !project.services[opts.exitCodeFrom]) {
    throw new UsageError(`--exit-code-from: no such service: ${opts.exitCodeFrom}`);
  }
  const engine = await import("@berth/engine");
  const docker = await connect(ctx);
  const planOptions = {
    services: services.length > 0 ? services : undefined,
    noDeps: !opts.deps,
    forceRecreate: opts.forceRecreate,
    noRecreate: !opts.recreate,
    removeOrphans: opts.removeOrphans,
    scale,
    build: buildPolicy(opts.build),
    pull: opts.pull ?? ("policy" as const),
  };
  if (ctx.global.dryRun) {
    const shown = await showPlan(ctx, await engine.dryRunUp(docker, project, planOptions));
    return opts.watch ? planWatch(ctx, docker, project, services) : shown;
  }
  // Ctrl-C cancels what is in flight (pulls, builds, creates, waits); attached, it then stops the stack.
  const interrupt = new Interrupt();
  const watched = services.length > 0 ? services : Object.keys(project.services);
  const since = Math.floor(Date.now() / 1000);
  try {
    try {
      await withProgress(ctx, (onEvent) =>
        engine.up(
          docker,
          project,
          {
            ...planOptions,
            quietPull: opts.quietPull,
            wait: opts.wait,
            waitTimeoutMs: opts.waitTimeout === undefined ? undefined : opts.waitTimeout * 1000,
            timeoutSeconds: opts.timeout,
            parallel: ctx.global.parallel,
            signal: interrupt.signal,
          },
          onEvent,
        ),
      );
    } catch (error) {
      if (!interrupt.interrupted) throw error;
      // What started before the Ctrl-C is stopped, as it would be once attached; -d leaves it running.
      if (!detached) await stopOrKill(ctx, docker, project.name, watched, opts.timeout, interrupt);
      return ExitCode.interrupted;
    }
    if (detached) return interrupt.interrupted ? ExitCode.interrupted : ExitCode.ok;
    const watch = opts.watch ? await startWatch(ctx, docker, project, services, {}) : undefined;
    // Ctrl-C ends the watch first: nothing is synced into containers that are being stopped.
    void interrupt.first().then(() => watch?.close());
    watch?.failed.catch((error: Error) => ctx.stderr.write(`error: ${error.message}\n`));
    try {
      return await attach(ctx, docker, project, {
        interrupt,
        services: attachedServices(project, services, opts),
        watched,
        since,
        abortOnExit: opts.abortOnContainerExit === true || opts.exitCodeFrom !== undefined,
        exitCodeFrom: opts.exitCodeFrom,
        timeout: opts.timeout,
        prefix: opts.logPrefix,
        color: opts.color,
        timestamps: opts.timestamps,
      });
    } finally {
      await watch?.close();
    }
  } finally {
    interrupt.dispose();
  }
}

/**
 * `up --watch --dry-run`: after the up's plan, each burst's plan until Ctrl-C (130). Nothing was started,
 * so no logs are attached and nothing is stopped.
 */
async function planWatch(ctx: CommandContext, docker: Docker, project: Project, services: string[]) {
  const interrupt = new Interrupt();
  try {
    return await watchUntilInterrupted(ctx, docker, project, services, {}, interrupt);
  } finally {
    interrupt.dispose();
  }
}

/** --attach wins; otherwise every service in scope but --no-attach ones and those with `attach: false`. */
function attachedServices(project: Project, requested: string[], opts: UpFlags): string[] {
  if (opts.attach) return opts.attach;
  const scope = requested.length > 0 ? requested : Object.keys(project.services);
  const skip = new Set(opts.noAttach ?? []);
  return scope.filter((s) => !skip.has(s) && project.services[s]?.attach !== false);
}
