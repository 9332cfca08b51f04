import type Docker from "dockerode";
import { byteOrder } from "../base/byte-order.js";
import type { EventListener } from "../base/events.js";
import type { ApiNode, ApiService, ApiTask } from "./api-types.js";
import { NoSuchSwarmStackError } from "./errors.js";
import { SwarmStackLabels, namespaceFilter } from "./labels.js";
import {
  type ObservedSwarmStackObjects,
  type SwarmStackRemovalPlan,
  planSwarmStackRemoval,
} from "./swarm-stack-rm-plan.js";

export interface SwarmStackSummary {
  name: string;
  services: number;
}

export interface SwarmStackTask {
  id: string;
  /** `stack_service.slot`, or `stack_service.node` for global services, as `docker stack ps` shows. */
  name: string;
  service: string;
  image: string;
  node: string;
  desiredState: string;
  currentState: string;
  error: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function stackServices(docker: Docker, stack: string): Promise<ApiService[]> {
  return (await docker.listServices({ filters: namespaceFilter(stack) })) as unknown as ApiService[];
}

/** Every stack with services on the swarm (Berth's and `docker stack deploy`'s alike), by name. */
export async function listSwarmStacks(docker: Docker): Promise<SwarmStackSummary[]> {
  const services = (await docker.listServices({
    filters: { label: [SwarmStackLabels.namespace] },
  })) as unknown as ApiService[];
  const counts = new Map<string, number>();
  for (const s of services) {
    const name = s.Spec.Labels?.[SwarmStackLabels.namespace];
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, n]) => ({ name, services: n })).sort((a, b) => byteOrder(a.name, b.name));
}

/** The tasks of a stack (or of one of its services, by compose name), newest first per slot. */
export async function swarmStackTasks(
  docker: Docker,
  stack: string,
  service?: string,
): Promise<SwarmStackTask[]> {
  const services = (await stackServices(docker, stack)).filter(
    (s) => service === undefined || s.Spec.Name === `${stack}_${service}`,
  );
  if (services.length === 0) throw new NoSuchSwarmStackError(service ? `${stack}_${service}` : stack);
  const [tasks, nodes] = await Promise.all([
    docker.listTasks({ filters: { service: services.map((s) => s.ID) } }) as Promise<ApiTask[]>,
    docker.listNodes() as Promise<ApiNode[]>,
  ]);
  const nodeName = new Map(nodes.map((n) => [n.ID, n.Description?.Hostname ?? n.ID]));
  const serviceOf = new Map(services.map((s) => [s.ID, s]));
  return tasks
    .map((t) => {
      const s = serviceOf.get(t.ServiceID) as ApiService;
      const image = ((t.Spec as { ContainerSpec?: { Image?: string } }).ContainerSpec?.Image ?? "").split(
        "@",
      )[0];
      return {
        id: t.ID,
        name: `${s.Spec.Name}.${t.Slot ?? t.NodeID}`,
        service: s.Spec.Name.slice(stack.length + 1),
        image: image ?? "",
        node: t.NodeID ? (nodeName.get(t.NodeID) ?? t.NodeID) : "",
        desiredState: t.DesiredState,
        currentState: t.Status.State,
        error: t.Status.Err ?? "",
        createdAt: t.CreatedAt,
      };
    })
    .sort((a, b) => byteOrder(a.name, b.name) || byteOrder(b.createdAt, a.createdAt))
    .map(({ createdAt: _, ...task }) => task);
}

/** What the swarm holds of a stack, for `deploy rm` to plan from. */
export async function observeSwarmStackObjects(
  docker: Docker,
  stack: string,
): Promise<ObservedSwarmStackObjects> {
  const filters = namespaceFilter(stack);
  const [services, networks, configs, secrets] = await Promise.all([
    stackServices(docker, stack),
    docker.listNetworks({ filters }) as Promise<{ Id: string; Name: string }[]>,
    docker.listConfigs({ filters }) as Promise<{ ID: string; Spec: { Name: string } }[]>,
    docker.listSecrets({ filters }) as Promise<{ ID: string; Spec: { Name: string } }[]>,
  ]);
  const object = (o: { ID: string; Spec: { Name: string } }) => ({ id: o.ID, name: o.Spec.Name });
  return {
    services: services.map(object),
    networks: networks.map((n) => ({ id: n.Id, name: n.Name })),
    configs: configs.map(object),
    secrets: secrets.map(object),
  };
}

/** `berth deploy rm --dry-run`: what removing the stack would remove, read from the swarm. */
export async function planSwarmStackRemove(docker: Docker, stack: string): Promise<SwarmStackRemovalPlan> {
  return planSwarmStackRemoval(stack, await observeSwarmStackObjects(docker, stack));
}

/** Runs a removal plan; the plan decided what goes and in which order. */
export async function applySwarmStackRemoval(
  docker: Docker,
  plan: SwarmStackRemovalPlan,
  onEvent: EventListener = () => {},
  options: { timeoutSeconds?: number } = {},
): Promise<void> {
  for (const s of plan.services) {
    await docker.getService(s.id).remove();
    onEvent({ kind: "service", name: s.name, action: "Removed", status: "done" });
  }
  // A network cannot go while the removed services' containers still hold it.
  const deadline = Date.now() + (options.timeoutSeconds ?? 60) * 1000;
  for (const n of plan.networks) {
    for (;;) {
      try {
        await docker.getNetwork(n.id).remove();
        onEvent({ kind: "network", name: n.name, action: "Removed", status: "done" });
        break;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) break;
        if (Date.now() > deadline) throw error;
        await sleep(500);
      }
    }
  }
  for (const o of plan.objects) {
    await (o.kind === "config" ? docker.getConfig(o.id) : docker.getSecret(o.id)).remove();
    onEvent({ kind: "project", name: o.name, action: `Removed ${o.kind}`, status: "done" });
  }
}

/**
 * Removes a stack as `docker stack rm` does: services, then (once their tasks are gone) networks,
 * configs and secrets. Volumes stay, as with docker stack.
 */
export async function removeSwarmStack(
  docker: Docker,
  stack: string,
  onEvent: EventListener = () => {},
  options: { timeoutSeconds?: number } = {},
): Promise<void> {
  await applySwarmStackRemoval(docker, await planSwarmStackRemove(docker, stack), onEvent, options);
}
