import { byteOrder } from "../base/byte-order.js";
import type { DeployStep } from "./deploy-steps.js";
import { NoSuchSwarmStackError } from "./errors.js";
import type { ObjectKind } from "./objects.js";

/** One object of a stack as the swarm lists it. */
export interface SwarmStackObject {
  id: string;
  name: string;
}

/** What `berth deploy rm` finds of a stack (by its namespace label). */
export interface ObservedSwarmStackObjects {
  services: SwarmStackObject[];
  networks: SwarmStackObject[];
  configs: SwarmStackObject[];
  secrets: SwarmStackObject[];
}

export type SwarmStackRemoval =
  | { type: "remove-service"; id: string; name: string; reason: string }
  | { type: "remove-network"; id: string; name: string; reason: string }
  | { type: "remove-object"; kind: ObjectKind; id: string; name: string; reason: string };

/**
 * Everything `berth deploy rm STACK` removes, in the order `docker stack rm` removes it: services,
 * then networks (once the services' tasks are gone), then configs and secrets. Volumes stay.
 */
export interface SwarmStackRemovalPlan {
  stack: string;
  services: Extract<SwarmStackRemoval, { type: "remove-service" }>[];
  networks: Extract<SwarmStackRemoval, { type: "remove-network" }>[];
  objects: Extract<SwarmStackRemoval, { type: "remove-object" }>[];
}

const byName = (a: SwarmStackObject, b: SwarmStackObject) => byteOrder(a.name, b.name);

/** Pure: the removal of everything observed of the stack; a stack with nothing is an error, as with docker. */
export function planSwarmStackRemoval(
  stack: string,
  observed: ObservedSwarmStackObjects,
): SwarmStackRemovalPlan {
  const { services, networks, configs, secrets } = observed;
  if (services.length + networks.length + configs.length + secrets.length === 0)
    throw new NoSuchSwarmStackError(stack);
  const reason = `in stack ${stack}`;
  return {
    stack,
    services: [...services]
      .sort(byName)
      .map((s) => ({ type: "remove-service", id: s.id, name: s.name, reason })),
    networks: [...networks]
      .sort(byName)
      .map((n) => ({ type: "remove-network", id: n.id, name: n.name, reason })),
    objects: [
      ...[...configs].sort(byName).map((c) => ({ kind: "config" as const, ...c })),
      ...[...secrets].sort(byName).map((s) => ({ kind: "secret" as const, ...s })),
    ].map((o) => ({ type: "remove-object", kind: o.kind, id: o.id, name: o.name, reason })),
  };
}

/** The plan's steps in the words the real run reports, in its order. Pure. */
export function swarmStackRemovalSteps(plan: SwarmStackRemovalPlan): DeployStep[] {
  return [
    ...plan.services.map(
      (a): DeployStep => ({ kind: "service", name: a.name, action: "Removed", reason: a.reason }),
    ),
    ...plan.networks.map(
      (a): DeployStep => ({ kind: "network", name: a.name, action: "Removed", reason: a.reason }),
    ),
    ...plan.objects.map(
      (a): DeployStep => ({ kind: "project", name: a.name, action: `Removed ${a.kind}`, reason: a.reason }),
    ),
  ];
}
