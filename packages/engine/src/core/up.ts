import type { Project } from "@berth/compose-schema";
import type Docker from "dockerode";
import { engineCommand } from "../base/engine-command.js";
import type { EventListener } from "../base/events.js";
import { ServiceGraph } from "../base/graph.js";
import { type ObservedState, observeProject } from "../base/observe.js";
import { defaultParallel } from "../base/parallel.js";
import { Executor } from "./apply.js";
import { planUpImages, upImageReferences } from "./image-plan.js";
import { applyImagePlan } from "./images.js";
import { type PlannedStep, planUpSteps } from "./plan-steps.js";
import { type PlanOptions, planUp, servicesInScope } from "./plan.js";
import { checkSupportedServices } from "./unsupported-services.js";
import { waitForServices } from "./wait-services.js";

export interface UpOptions extends PlanOptions {
  build?: "always" | "never" | "auto";
  pull?: "always" | "missing" | "never" | "policy";
  quietPull?: boolean;
  /**
   * After starting, wait until every container is running and healthy (without a healthcheck: its
   * published TCP ports accept), or has finished with exit code 0.
   */
  wait?: boolean;
  waitTimeoutMs?: number;
  /** Engine operations at once (pull, build, create, start); default `COMPOSE_PARALLEL_LIMIT` or 16. */
  parallel?: number;
  signal?: AbortSignal;
}

/**
 * What `up` plans from: the project's resources and the IDs of the images of the services in scope and
 * of their pre_start hooks.
 */
export function observeForUp(docker: Docker, project: Project, services: string[]): Promise<ObservedState> {
  return observeProject(docker, project.name, { project, images: upImageReferences(project, services) });
}

/** `up --dry-run` (and `create --dry-run` with `noStart`): what `up` would do, as steps; changes nothing. */
export async function dryRunUp(
  docker: Docker,
  project: Project,
  opts: UpOptions = {},
): Promise<PlannedStep[]> {
  const names = servicesInScope(project, new ServiceGraph(project), opts);
  return planUpSteps(project, await observeForUp(docker, project, names), opts);
}

/**
 * Pulls and builds what the services `names` run, as their image plan says (pre_start hooks' own images
 * included), before anything is created; then what `up` plans from. One look at the engine serves both
 * when no image was pulled or built (a no-op `up`); otherwise it is looked at again.
 */
export async function ensureImagesThenObserve(
  docker: Docker,
  project: Project,
  names: string[],
  opts: Pick<UpOptions, "pull" | "build" | "quietPull" | "signal"> & { parallel: number },
  emit: EventListener,
): Promise<ObservedState> {
  const before = await observeForUp(docker, project, names);
  const steps = planUpImages(project, names, before.images, opts);
  await applyImagePlan(
    docker,
    project,
    steps,
    { quiet: opts.quietPull, parallel: opts.parallel, signal: opts.signal },
    emit,
  );
  return steps.some((s) => s.action !== "skip") ? observeForUp(docker, project, names) : before;
}

/**
 * `berth up -d`: images, then observe → plan → apply, then optionally wait. Throws on the first failure.
 * With `noStart` it is `berth create`: the same steps, with containers left created and no wait.
 */
export const up = engineCommand("up", async (docker, project: Project, opts: UpOptions, { emit }) => {
  const graph = new ServiceGraph(project);
  const names = servicesInScope(project, graph, opts);
  checkSupportedServices(project, names);

  // One limit for every engine operation of this up: pulls and builds, then creates and starts.
  const parallel = opts.parallel ?? defaultParallel();
  const observed = await ensureImagesThenObserve(docker, project, names, { ...opts, parallel }, emit);
  const plan = planUp(project, observed, opts);
  for (const warning of plan.warnings) {
    emit({ kind: "project", name: project.name, action: "Warning", status: "warning", detail: warning });
  }
  const executor = new Executor(docker, project, observed, { parallel, signal: opts.signal }, emit);
  await executor.apply(plan);
  if (opts.wait && plan.start) await waitForServices(docker, project, executor.containers, opts, emit);
});
