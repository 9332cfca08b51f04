import type { Project } from "@berth/compose-schema";
import { attach } from "../attach.js";
import type { CommandContext } from "../context.js";
import { connect } from "../docker.js";
import { UsageError } from "../errors.js";
import { ExitCode } from "../exit-codes.js";
import { formatPlan } from "../output/plan.js";
import { withProgress } from "../progress-run.js";
import { loadFromCli } from "../project.js";
import { buildPolicy, parseScale } from "../scale.js";

export interface UpFlags {
  detach?: boolean;
  build?: boolean;
  pull?: "always" | "missing" | "never";
  quietPull?: boolean;
  wait?: boolean;
  waitTimeout?: number;
  forceRecreate?: boolean;
  recreate: boolean;
  removeOrphans?: boolean;
  deps: boolean;
  scale?: string[];
  timeout?: number;
  abortOnContainerExit?: boolean;
  exitCodeFrom?: string;
  attach?: string[];
  noAttach?: string[];
  logPrefix: boolean;
  color: boolean;
  timestamps?: boolean;
  dryRun?: boolean;
}

export async function run(ctx: CommandContext, services: string[], opts: UpFlags): Promise<number> {
  const detached = opts.detach || opts.wait;
  if (opts.forceRecreate && !opts.recreate)
    throw new UsageError("--force-recreate and --no-recreate cannot be combined");
  if (detached && (opts.abortOnContainerExit || opts.exitCodeFrom)) {
    throw new UsageError(
      "--abort-on-container-exit and --exit-code-from cannot be combined with --detach or --wait",
    );
  }
  const project = await loadFromCli(ctx, { services });
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
    scale: parseScale(opts.scale),
  };
  if (opts.dryRun) {
    const observed = await engine.observeProject(docker, project.name, { project });
    ctx.stdout.write(formatPlan(project, engine.planUp(project, observed, planOptions)));
    return ExitCode.ok;
  }

  // Ctrl-C while containers are being created aborts the operation; attached, it stops the stack.
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  const since = Math.floor(Date.now() / 1000);
  try {
    await withProgress(ctx, (onEvent) =>
      engine.up(
        docker,
        project,
        {
          ...planOptions,
          build: buildPolicy(opts.build),
          pull: opts.pull ?? "policy",
          quietPull: opts.quietPull,
          wait: opts.wait,
          waitTimeoutMs: opts.waitTimeout === undefined ? undefined : opts.waitTimeout * 1000,
          timeoutSeconds: opts.timeout,
          parallel: ctx.global.parallel,
          signal: controller.signal,
        },
        onEvent,
      ),
    );
  } catch (error) {
    if (controller.signal.aborted) return ExitCode.interrupted;
    throw error;
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
  if (detached) return ExitCode.ok;
  return attach(ctx, docker, project, {
    services: attachedServices(project, services, opts),
    watched: services.length > 0 ? services : Object.keys(project.services),
    since,
    abortOnExit: opts.abortOnContainerExit === true || opts.exitCodeFrom !== undefined,
    exitCodeFrom: opts.exitCodeFrom,
    timeout: opts.timeout,
    prefix: opts.logPrefix,
    color: opts.color,
    timestamps: opts.timestamps,
  });
}

/** --attach wins; otherwise every service in scope but --no-attach ones and those with `attach: false`. */
function attachedServices(project: Project, requested: string[], opts: UpFlags): string[] {
  if (opts.attach) return opts.attach;
  const scope = requested.length > 0 ? requested : Object.keys(project.services);
  const skip = new Set(opts.noAttach ?? []);
  return scope.filter((s) => !skip.has(s) && project.services[s]?.attach !== false);
}
