import type { ObservedContainer, ObservedState } from "../base/observe.js";
import { type Direction, schedule } from "../base/schedule.js";
import { dependenciesFromLabels } from "./ops/order.js";

/** The commands that act on existing containers one by one. */
export type LifecycleCommand = "start" | "stop" | "restart" | "kill" | "pause" | "unpause" | "rm";

export interface ContainerStep {
  container: ObservedContainer;
  /** The word progress ends with for it, as the real run shows it: Started, Stopped, Removed… */
  action: string;
  /** Why this container is acted on: its state, and what the flags add. */
  reason: string;
  /** `rm -s`: stop a running container gracefully before removing it. */
  stopFirst?: boolean;
}

/** A service's steps, taken at once once the services in `after` are done. */
export interface ServiceSteps<S extends ContainerStep = ContainerStep> {
  service: string;
  after: string[];
  steps: S[];
}

export interface LifecyclePlan {
  command: LifecycleCommand;
  /** In an order that respects `after` (schedule.ts). */
  services: ServiceSteps[];
  /** `stop`, `restart`, `rm -s`: seconds before the engine kills; absent: each container's own. */
  timeoutSeconds?: number;
  /** `kill`: the signal sent. */
  killSignal?: string;
  /** `rm -v`: also remove the containers' anonymous volumes. */
  removeVolumes?: boolean;
}

export interface LifecyclePlanOptions {
  /** Only these services' containers; all when empty. */
  services?: string[];
  timeoutSeconds?: number;
  killSignal?: string;
  /** `rm -s`: running containers too, stopped first. */
  stop?: boolean;
  removeVolumes?: boolean;
}

const isActive = (c: ObservedContainer) => c.state === "running" || c.state === "restarting";
const isStopped = (c: ObservedContainer) => !isActive(c) && c.state !== "paused";

interface Verb {
  /** Which containers the command acts on. */
  applies: (c: ObservedContainer, opts: LifecyclePlanOptions) => boolean;
  order?: Direction;
  action: string;
}

const VERBS: Record<LifecycleCommand, Verb> = {
  start: { applies: isStopped, order: "dependencies-first", action: "Started" },
  stop: { applies: isActive, order: "dependents-first", action: "Stopped" },
  // compose shows a restarted container as Started.
  restart: { applies: () => true, order: "dependencies-first", action: "Started" },
  kill: { applies: isActive, action: "Killed" },
  pause: { applies: isActive, action: "Paused" },
  unpause: { applies: (c) => c.state === "paused", action: "Unpaused" },
  rm: { applies: (c, o) => !!o.stop || isStopped(c), action: "Removed" },
};

function reasonFor(command: LifecycleCommand, c: ObservedContainer, opts: LifecyclePlanOptions): string {
  if (command === "rm" && !isStopped(c)) return `${c.state}: stopped first (--stop)`;
  if (command === "kill") return `${c.state}: ${opts.killSignal ?? "SIGKILL"}`;
  return c.state;
}

/** Per service, in the order the `depends_on` labels give (which the containers carry also without the file). */
function byService(steps: ContainerStep[], order: Verb["order"]): ServiceSteps[] {
  const deps = new Map<string, string[]>();
  for (const s of steps) deps.set(s.container.service, dependenciesFromLabels(s.container.labels));
  const services = [...deps.keys()];
  const after = order ? schedule(services, deps, order) : new Map(services.map((s) => [s, []]));
  return [...after].map(([service, waits]) => ({
    service,
    after: waits,
    steps: steps.filter((s) => s.container.service === service),
  }));
}

/**
 * What `start`, `stop`, `restart`, `kill`, `pause`, `unpause` or `rm` does to the project's containers
 * (one-off containers of `run` excluded, as compose does). Pure.
 */
export function planLifecycle(
  command: LifecycleCommand,
  observed: ObservedState,
  opts: LifecyclePlanOptions = {},
): LifecyclePlan {
  const verb = VERBS[command];
  const services = opts.services?.length ? new Set(opts.services) : undefined;
  const steps = observed.containers
    .filter((c) => !c.oneoff && (!services || services.has(c.service)) && verb.applies(c, opts))
    .map(
      (c): ContainerStep => ({
        container: c,
        action: verb.action,
        reason: reasonFor(command, c, opts),
        ...(command === "rm" && !isStopped(c) ? { stopFirst: true } : {}),
      }),
    );
  return {
    command,
    services: byService(steps, verb.order),
    timeoutSeconds: opts.timeoutSeconds,
    killSignal: command === "kill" ? (opts.killSignal ?? "SIGKILL") : undefined,
    removeVolumes: command === "rm" ? opts.removeVolumes : undefined,
  };
}
