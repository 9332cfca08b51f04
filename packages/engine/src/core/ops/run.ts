import { randomBytes } from "node:crypto";
import type { Project } from "@berth/compose-schema";
import type Docker from "dockerode";
import { outputSink } from "../../base/demux.js";
import { NoSuchServiceError } from "../../base/errors.js";
import type { EngineEvent, EventListener } from "../../base/events.js";
import { ServiceGraph } from "../../base/graph.js";
import { defaultParallel } from "../../base/parallel.js";
import { Executor } from "../apply.js";
import { type PlannedStep, planRunSteps } from "../plan-steps.js";
import { servicesInScope } from "../plan.js";
import { type RunPlanOptions, planRun } from "../run-plan.js";
import { checkSupportedServices } from "../unsupported-services.js";
import { ensureImagesThenObserve, observeForUp } from "../up.js";
import { terminalSize } from "./attach.js";
import type { OneOffOverrides } from "./run-config.js";

export interface RunOptions extends OneOffOverrides {
  /** Remove the container when it exits (`--rm`). */
  rm?: boolean;
  name?: string;
  /** Do not start the services the service depends on. */
  noDeps?: boolean;
  /** Start it and return at once (`-d`). */
  detach?: boolean;
  build?: "always" | "never" | "auto";
  pull?: "always" | "missing" | "never" | "policy";
  /** No pull progress, only start and end. */
  quietPull?: boolean;
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  signal?: AbortSignal;
}

export interface RunResult {
  container: string;
  /** Absent with `detach`. */
  exitCode?: number;
  /** Captured output, when neither `stdout` nor `stderr` was given and not detached. */
  stdout?: string;
  stderr?: string;
}

/** The services a `run` of `service` brings up: the service and, unless `noDeps`, what it needs. */
function runScope(project: Project, service: string, noDeps?: boolean): string[] {
  return servicesInScope(project, new ServiceGraph(project), { services: [service], noDeps });
}

/** `run --dry-run`: what `run` would do, as steps (the one-off under a name made up now); changes nothing. */
export async function dryRunRun(
  docker: Docker,
  project: Project,
  serviceName: string,
  opts: RunOptions = {},
): Promise<PlannedStep[]> {
  const observed = await observeForUp(docker, project, runScope(project, serviceName, opts.noDeps));
  return planRunSteps(project, observed, serviceName, planOptions(opts));
}

function planOptions(opts: RunOptions): RunPlanOptions {
  return {
    ...opts,
    slug: randomBytes(6).toString("hex"),
    attachStdin: Boolean(opts.interactive && opts.stdin),
  };
}

/**
 * `run`: a one-off container of the service, created from the service's config with the run options over
 * it. Pulls or builds the images, then runs `run`'s plan: the dependencies (unless `noDeps`), the networks
 * and volumes, the one-off container; then attaches, starts it, waits and returns the exit code.
 */
export async function runOneOff(
  docker: Docker,
  project: Project,
  serviceName: string,
  opts: RunOptions = {},
  onEvent: EventListener = () => {},
): Promise<RunResult> {
  const startedAt = Date.now();
  const emit = (e: EngineEvent) => onEvent({ ...e, elapsedMs: Date.now() - startedAt });
  if (!project.services[serviceName]) throw new NoSuchServiceError(serviceName);
  const names = runScope(project, serviceName, opts.noDeps);
  checkSupportedServices(project, names);
  const parallel = defaultParallel();
  const observed = await ensureImagesThenObserve(docker, project, names, { ...opts, parallel }, emit);
  const planned = planOptions(opts);
  const plan = planRun(project, observed, serviceName, planned);
  for (const warning of plan.warnings) {
    emit({ kind: "project", name: project.name, action: "Warning", status: "warning", detail: warning });
  }
  const executor = new Executor(docker, project, observed, { parallel, signal: opts.signal }, emit);
  await executor.apply(plan);
  const [made] = executor.containers.get(serviceName) ?? [];
  if (opts.detach) return { container: made.name };
  const oneOff = plan.services.flatMap((s) => s.actions).find((a) => a.type === "run");
  const tty = Boolean(oneOff?.spec.options.Tty);
  const container = docker.getContainer(made.id);
  try {
    return { container: made.name, ...(await attachAndWait(container, tty, !!planned.attachStdin, opts)) };
  } finally {
    if (opts.rm) {
      await container.remove({ force: true, v: true }).catch(() => undefined);
      emit({ kind: "container", name: made.name, service: serviceName, action: "Removed", status: "done" });
    }
  }
}

async function attachAndWait(
  container: Docker.Container,
  tty: boolean,
  interactive: boolean,
  opts: RunOptions,
): Promise<Omit<RunResult, "container">> {
  const stream = await container.attach({
    stream: true,
    stdin: interactive,
    stdout: true,
    stderr: true,
    hijack: true,
  });
  const capture = !opts.stdout && !opts.stderr;
  const captured = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  const ended = new Promise<void>((resolve, reject) => {
    stream.on(
      "data",
      outputSink(tty, (name, data) => {
        if (capture) captured[name].push(data);
        else (name === "stdout" ? opts.stdout : opts.stderr)?.write(data);
      }),
    );
    stream.on("end", resolve);
    stream.on("close", resolve);
    stream.on("error", reject);
  });
  // `next-exit`: the default condition would answer at once for a container not yet started.
  const exited = container.wait({ condition: "next-exit" }) as Promise<{ StatusCode: number }>;
  await container.start();
  const size = tty ? terminalSize(opts.stdout) : undefined;
  // A TTY of the wrong size garbles full-screen programs; a failed resize is harmless otherwise.
  if (size) await container.resize(size).catch(() => undefined);
  if (interactive) opts.stdin?.pipe(stream);
  const stop = () => void container.kill().catch(() => undefined);
  opts.signal?.addEventListener("abort", stop, { once: true });
  try {
    const { StatusCode } = await exited;
    await ended;
    if (!capture) return { exitCode: StatusCode };
    return {
      exitCode: StatusCode,
      stdout: Buffer.concat(captured.stdout).toString(),
      stderr: Buffer.concat(captured.stderr).toString(),
    };
  } finally {
    opts.signal?.removeEventListener("abort", stop);
    // Hand the caller's stdin back (unpiping pauses it), or it would keep the process alive.
    if (interactive) opts.stdin?.unpipe(stream as NodeJS.WritableStream);
  }
}
