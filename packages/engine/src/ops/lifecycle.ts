import type Docker from "dockerode";
import type { EventListener } from "../events.js";
import { dependenciesFromLabels, dependencyWaves } from "./order.js";
import { containerName, projectContainers, serviceOf } from "./select.js";

export interface LifecycleOptions {
  services?: string[];
  onEvent?: EventListener;
}

interface Step {
  /** Which containers the step applies to. */
  states: "all" | "running" | "paused" | "stopped";
  /** `dependencies-first`: services in waves after what they depend on; `dependents-first`: the reverse. */
  order?: "dependencies-first" | "dependents-first";
  working: string;
  done: string;
  act: (container: Docker.Container) => Promise<unknown>;
}

function inState(c: Docker.ContainerInfo, states: Step["states"]): boolean {
  const active = c.State === "running" || c.State === "restarting";
  if (states === "running") return active;
  if (states === "paused") return c.State === "paused";
  if (states === "stopped") return !active && c.State !== "paused";
  return true;
}

/**
 * Applies one step to every matching container of the services, with an event for each: all at once,
 * or service wave by service wave when the step has an order.
 */
async function each(
  docker: Docker,
  projectName: string,
  opts: LifecycleOptions,
  step: Step,
): Promise<number> {
  const containers = (
    await projectContainers(docker, projectName, { services: opts.services, all: true })
  ).filter((c) => inState(c, step.states));
  const waves = step.order ? inWaves(containers, step.order === "dependents-first") : [containers];
  for (const wave of waves) await Promise.all(wave.map((c) => act(docker, c, opts, step)));
  return containers.length;
}

function inWaves(containers: Docker.ContainerInfo[], reverse: boolean): Docker.ContainerInfo[][] {
  const deps = new Map<string, string[]>();
  for (const c of containers) deps.set(serviceOf(c), dependenciesFromLabels(c.Labels));
  return dependencyWaves(deps, reverse).map((services) =>
    containers.filter((c) => services.includes(serviceOf(c))),
  );
}

async function act(
  docker: Docker,
  c: Docker.ContainerInfo,
  opts: LifecycleOptions,
  step: Step,
): Promise<void> {
  const event = { kind: "container", name: containerName(c), service: serviceOf(c) } as const;
  const started = Date.now();
  opts.onEvent?.({ ...event, action: step.working, status: "working" });
  try {
    await step.act(docker.getContainer(c.Id));
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    opts.onEvent?.({ ...event, action: step.working, status: "error", detail: error.message, error });
    throw err;
  }
  opts.onEvent?.({ ...event, action: step.done, status: "done", elapsedMs: Date.now() - started });
}

/** Starts the services' stopped containers; returns how many. */
export function startServices(
  docker: Docker,
  projectName: string,
  opts: LifecycleOptions = {},
): Promise<number> {
  return each(docker, projectName, opts, {
    states: "stopped",
    order: "dependencies-first",
    working: "Starting",
    done: "Started",
    act: (c) => c.start(),
  });
}

/** `timeout`: seconds before the engine kills; default the container's own stop timeout. */
export function stopServices(
  docker: Docker,
  projectName: string,
  opts: LifecycleOptions & { timeout?: number } = {},
): Promise<number> {
  return each(docker, projectName, opts, {
    states: "running",
    order: "dependents-first",
    working: "Stopping",
    done: "Stopped",
    act: (c) => c.stop(opts.timeout === undefined ? {} : { t: opts.timeout }),
  });
}

export function restartServices(
  docker: Docker,
  projectName: string,
  opts: LifecycleOptions & { timeout?: number } = {},
): Promise<number> {
  return each(docker, projectName, opts, {
    states: "all",
    order: "dependencies-first",
    working: "Restarting",
    done: "Started",
    act: (c) => c.restart(opts.timeout === undefined ? {} : { t: opts.timeout }),
  });
}

export function killServices(
  docker: Docker,
  projectName: string,
  opts: LifecycleOptions & { signal?: string } = {},
): Promise<number> {
  return each(docker, projectName, opts, {
    states: "running",
    working: "Killing",
    done: "Killed",
    act: (c) => c.kill({ signal: opts.signal ?? "SIGKILL" }),
  });
}

export function pauseServices(
  docker: Docker,
  projectName: string,
  opts: LifecycleOptions = {},
): Promise<number> {
  return each(docker, projectName, opts, {
    states: "running",
    working: "Pausing",
    done: "Paused",
    act: (c) => c.pause(),
  });
}

export function unpauseServices(
  docker: Docker,
  projectName: string,
  opts: LifecycleOptions = {},
): Promise<number> {
  return each(docker, projectName, opts, {
    states: "paused",
    working: "Unpausing",
    done: "Unpaused",
    act: (c) => c.unpause(),
  });
}

/**
 * `rm`: removes stopped containers; with `stop` (or `force`) running ones too, `stop` stopping them
 * gracefully first. `volumes` also removes their anonymous volumes.
 */
export function removeServices(
  docker: Docker,
  projectName: string,
  opts: LifecycleOptions & { force?: boolean; stop?: boolean; volumes?: boolean } = {},
): Promise<number> {
  return each(docker, projectName, opts, {
    states: opts.force || opts.stop ? "all" : "stopped",
    working: "Removing",
    done: "Removed",
    act: async (c) => {
      if (opts.stop) await c.stop().catch((err) => ignoreNotModified(err));
      await c.remove({ force: opts.force ?? false, v: opts.volumes ?? false });
    },
  });
}

/** 304: the container was already stopped. */
function ignoreNotModified(err: unknown): void {
  if ((err as { statusCode?: number }).statusCode !== 304) throw err;
}
