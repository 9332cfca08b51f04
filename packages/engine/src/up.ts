import type { Project } from "@berth/compose-schema";
import type Docker from "dockerode";
import { Executor } from "./apply.js";
import { imageOf } from "./container-spec.js";
import { HealthcheckFailedError, ServiceFailedError, WaitTimeoutError } from "./errors.js";
import type { EngineEvent, EventListener } from "./events.js";
import { ServiceGraph } from "./graph.js";
import { ensureImages } from "./images.js";
import { observeProject } from "./observe.js";
import { type PlanOptions, planUp, servicesInScope } from "./plan.js";
import { waitRunning } from "./wait.js";

export interface UpOptions extends PlanOptions {
  build?: "always" | "never" | "auto";
  pull?: "always" | "missing" | "never" | "policy";
  quietPull?: boolean;
  /** After starting, wait until every service is running, and healthy if it has a healthcheck. */
  wait?: boolean;
  waitTimeoutMs?: number;
  /** Stop timeout in seconds for containers that are recreated or removed. */
  timeoutSeconds?: number;
  /** Container operations at once; default `COMPOSE_PARALLEL_LIMIT` or 16. */
  parallel?: number;
  signal?: AbortSignal;
}

function defaultParallel(): number {
  const fromEnv = Number(process.env.COMPOSE_PARALLEL_LIMIT);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 16;
}

/** `berth up -d`: images, then observe → plan → apply, then optionally wait. Throws on the first failure. */
export async function up(
  docker: Docker,
  project: Project,
  opts: UpOptions = {},
  onEvent: EventListener = () => {},
): Promise<void> {
  const startedAt = Date.now();
  const emit = (e: EngineEvent) => onEvent({ ...e, elapsedMs: Date.now() - startedAt });
  const graph = new ServiceGraph(project);
  const names = servicesInScope(project, graph, opts);

  await ensureImages(
    docker,
    project,
    names,
    { pull: opts.pull, build: opts.build, quiet: opts.quietPull, signal: opts.signal },
    emit,
  );
  const observed = await observeProject(docker, project.name, {
    project,
    images: names.map((n) => imageOf(project, project.services[n])),
  });
  const plan = planUp(project, observed, opts);
  for (const warning of plan.warnings) {
    emit({ kind: "project", name: project.name, action: "Warning", status: "warning", detail: warning });
  }
  const executor = new Executor(
    docker,
    project,
    graph,
    observed,
    {
      parallel: opts.parallel ?? defaultParallel(),
      timeoutSeconds: opts.timeoutSeconds,
      signal: opts.signal,
    },
    emit,
  );
  await executor.apply(plan);
  if (opts.wait) await waitForServices(docker, project, graph, executor.containers, opts, emit);
}

async function waitForServices(
  docker: Docker,
  project: Project,
  graph: ServiceGraph,
  containers: Map<string, { id: string; name: string }[]>,
  opts: UpOptions,
  emit: (e: EngineEvent) => void,
): Promise<void> {
  const deadline = Date.now() + (opts.waitTimeoutMs ?? Number.POSITIVE_INFINITY);
  // A job others wait on with service_completed_successfully is done once it exited 0.
  const jobs = new Set(
    Object.keys(project.services).flatMap((s) =>
      graph
        .dependencyEdges(s)
        .filter((d) => d.condition === "service_completed_successfully")
        .map((d) => d.on),
    ),
  );
  const waits = [...containers].flatMap(([service, list]) =>
    list.map(async (c) => {
      const base = { kind: "container", name: c.name, service } as const;
      emit({ ...base, action: "Waiting", status: "working" });
      const outcome = await waitRunning(docker.getContainer(c.id), {
        signal: opts.signal,
        timeoutMs: Number.isFinite(deadline) ? Math.max(0, deadline - Date.now()) : undefined,
        exitOk: jobs.has(service),
      });
      if (outcome.ok) {
        emit({
          ...base,
          action: project.services[service]?.healthcheck ? "Healthy" : "Running",
          status: "done",
        });
        return;
      }
      const error = outcome.timedOut
        ? new WaitTimeoutError(service, opts.waitTimeoutMs ?? 0, outcome.state)
        : outcome.output !== undefined
          ? new HealthcheckFailedError(service, c.name, outcome.output)
          : new ServiceFailedError(service, `container ${c.name} ${outcome.state}`);
      emit({ ...base, action: "Error", status: "error", detail: error.message, error });
      throw error;
    }),
  );
  const results = await Promise.allSettled(waits);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
