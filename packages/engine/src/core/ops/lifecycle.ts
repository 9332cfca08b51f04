import type Docker from "dockerode";
import type { EventListener } from "../../base/events.js";
import { observeProject } from "../../base/observe.js";
import { workerPool } from "../../base/parallel.js";
import { runScheduled } from "../../base/schedule.js";
import {
  type ContainerStep,
  type LifecycleCommand,
  type LifecyclePlan,
  type LifecyclePlanOptions,
  planLifecycle,
} from "../lifecycle-plan.js";

export interface LifecycleOptions {
  services?: string[];
  onEvent?: EventListener;
  /** Engine operations at once; default `COMPOSE_PARALLEL_LIMIT` or 16. */
  parallel?: number;
}

/** The word shown while each command works on a container. */
const WORKING: Record<LifecycleCommand, string> = {
  start: "Starting",
  stop: "Stopping",
  restart: "Restarting",
  kill: "Killing",
  pause: "Pausing",
  unpause: "Unpausing",
  rm: "Removing",
};

/** 304: the container was already stopped. */
function ignoreNotModified(err: unknown): void {
  if ((err as { statusCode?: number }).statusCode !== 304) throw err;
}

function stopOptions(plan: LifecyclePlan): { t?: number } {
  return plan.timeoutSeconds === undefined ? {} : { t: plan.timeoutSeconds };
}

/** The engine call of one step; every choice in it was made by the plan. */
async function perform(container: Docker.Container, plan: LifecyclePlan, step: ContainerStep): Promise<void> {
  switch (plan.command) {
    case "start":
      return container.start();
    case "stop":
      return container.stop(stopOptions(plan));
    case "restart":
      return container.restart(stopOptions(plan));
    case "kill":
      return container.kill({ signal: plan.killSignal });
    case "pause":
      return container.pause();
    case "unpause":
      return container.unpause();
    case "rm":
      if (step.stopFirst) await container.stop(stopOptions(plan)).catch(ignoreNotModified);
      return container.remove({ v: plan.removeVolumes ?? false });
  }
}

/**
 * Runs a lifecycle plan with an event per container: each service's steps at once (within the parallel
 * limit) as soon as the services it comes after are done. Returns how many containers it acted on.
 */
export async function applyLifecycle(
  docker: Docker,
  plan: LifecyclePlan,
  opts: Omit<LifecycleOptions, "services"> = {},
): Promise<number> {
  const pool = workerPool({ limit: opts.parallel });
  const steps = new Map(plan.services.map((s) => [s.service, s.steps]));
  let count = 0;
  await runScheduled(new Map(plan.services.map((s) => [s.service, s.after])), async (service) => {
    await Promise.all(
      (steps.get(service) ?? []).map((step) =>
        pool.run(async () => {
          const { container: c } = step;
          const event = { kind: "container", name: c.name, service: c.service } as const;
          const started = Date.now();
          opts.onEvent?.({ ...event, action: WORKING[plan.command], status: "working", detail: step.reason });
          try {
            await perform(docker.getContainer(c.id), plan, step);
          } catch (err) {
            const error = err instanceof Error ? err : new Error(String(err));
            opts.onEvent?.({
              ...event,
              action: WORKING[plan.command],
              status: "error",
              detail: error.message,
              error,
            });
            throw err;
          }
          count++;
          opts.onEvent?.({ ...event, action: step.action, status: "done", elapsedMs: Date.now() - started });
        }),
      ),
    );
  });
  return count;
}

/** Observes the project, plans the command and runs the plan; returns how many containers it acted on. */
async function run(
  docker: Docker,
  projectName: string,
  command: LifecycleCommand,
  opts: LifecycleOptions & Omit<LifecyclePlanOptions, "services">,
): Promise<number> {
  const observed = await observeProject(docker, projectName);
  return applyLifecycle(docker, planLifecycle(command, observed, opts), opts);
}

/** Starts the services' stopped containers, dependencies first; returns how many. */
export function startServices(
  docker: Docker,
  projectName: string,
  opts: LifecycleOptions = {},
): Promise<number> {
  return run(docker, projectName, "start", opts);
}

/** `timeout`: seconds before the engine kills; default the container's own stop timeout. */
export function stopServices(
  docker: Docker,
  projectName: string,
  opts: LifecycleOptions & { timeout?: number } = {},
): Promise<number> {
  return run(docker, projectName, "stop", { ...opts, timeoutSeconds: opts.timeout });
}

export function restartServices(
  docker: Docker,
  projectName: string,
  opts: LifecycleOptions & { timeout?: number } = {},
): Promise<number> {
  return run(docker, projectName, "restart", { ...opts, timeoutSeconds: opts.timeout });
}

export function killServices(
  docker: Docker,
  projectName: string,
  opts: LifecycleOptions & { signal?: string } = {},
): Promise<number> {
  return run(docker, projectName, "kill", { ...opts, killSignal: opts.signal });
}

export function pauseServices(
  docker: Docker,
  projectName: string,
  opts: LifecycleOptions = {},
): Promise<number> {
  return run(docker, projectName, "pause", opts);
}

export function unpauseServices(
  docker: Docker,
  projectName: string,
  opts: LifecycleOptions = {},
): Promise<number> {
  return run(docker, projectName, "unpause", opts);
}

/**
 * `rm`: removes stopped containers; with `stop` running ones too, stopped gracefully first. `volumes`
 * also removes their anonymous volumes.
 */
export function removeServices(
  docker: Docker,
  projectName: string,
  opts: LifecycleOptions & { stop?: boolean; volumes?: boolean } = {},
): Promise<number> {
  return run(docker, projectName, "rm", { ...opts, removeVolumes: opts.volumes });
}
