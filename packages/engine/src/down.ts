import { rm } from "node:fs/promises";
import type { Project } from "@berth/compose-schema";
import type Docker from "dockerode";
import toposort from "toposort";
import { fileObjectDir, stopContainer, stopTimeout } from "./apply.js";
import { NetworkInUseError } from "./errors.js";
import type { EngineEvent, EventListener } from "./events.js";
import { ServiceGraph } from "./graph.js";
import { Labels, projectFilter } from "./labels.js";
import { defaultImageName } from "./names.js";
import { type ObservedContainer, observeProject } from "./observe.js";

export interface DownOptions {
  /** The loaded file, when there is one: its services' dependencies and stop settings are used. */
  project?: Project;
  /** Also remove named volumes (by label) and anonymous volumes of the containers. */
  volumes?: boolean;
  /** `local`: images built for the project without an `image:` name; `all`: every image its containers use. */
  rmi?: "local" | "all";
  /** With a project: also remove containers of services no longer in it (without a project, all go). */
  removeOrphans?: boolean;
  /** Stop timeout in seconds, over each container's own grace period. */
  timeoutSeconds?: number;
}

/** Service → services it depends on, from the `depends_on` label (works without the file). */
export function dependenciesFromLabels(containers: ObservedContainer[]): Map<string, Set<string>> {
  const deps = new Map<string, Set<string>>();
  for (const c of containers) {
    const set = deps.get(c.service) ?? new Set<string>();
    deps.set(c.service, set);
    for (const entry of (c.labels[Labels.dependsOn] ?? "").split(",")) {
      const name = entry.split(":")[0];
      if (name) set.add(name);
    }
  }
  return deps;
}

/** Each service's dependents, which stop before it; none at all when the labels form a cycle. */
export function stopOrder(services: string[], deps: Map<string, Set<string>>): Map<string, string[]> {
  const dependents = new Map<string, string[]>(services.map((s) => [s, []]));
  const edges: [string, string][] = [];
  for (const [svc, set] of deps) {
    for (const d of set) {
      if (!dependents.has(d) || !dependents.has(svc)) continue;
      dependents.get(d)?.push(svc);
      edges.push([d, svc]);
    }
  }
  try {
    toposort.array(services, edges);
    return dependents;
  } catch {
    return new Map(services.map((s) => [s, []]));
  }
}

function isStatus(err: unknown, ...codes: number[]): boolean {
  return codes.includes((err as { statusCode?: number }).statusCode ?? 0);
}

/** `berth down`: stop and remove what the project's labels name, dependents first. */
export async function down(
  docker: Docker,
  projectName: string,
  opts: DownOptions = {},
  onEvent: EventListener = () => {},
): Promise<void> {
  const startedAt = Date.now();
  const emit = (e: Omit<EngineEvent, "elapsedMs">) =>
    onEvent({ ...e, elapsedMs: Date.now() - startedAt } as EngineEvent);
  const { project } = opts;
  const observed = await observeProject(docker, projectName);
  const containers = observed.containers.filter(
    (c) =>
      !project || opts.removeOrphans || project.services[c.service] || project.disabledServices[c.service],
  );

  const deps = dependenciesFromLabels(containers);
  if (project) {
    const graph = new ServiceGraph(project);
    for (const svc of graph.services) {
      const set = deps.get(svc) ?? new Set<string>();
      for (const d of graph.dependencies(svc)) set.add(d);
      deps.set(svc, set);
    }
  }
  const services = [...new Set(containers.map((c) => c.service))];
  const dependents = stopOrder(services, deps);
  const removed = new Map<string, Promise<void>>();
  const removeService = async (svc: string): Promise<void> => {
    await Promise.all((dependents.get(svc) ?? []).map((d) => scheduled(d)));
    await Promise.all(
      containers
        .filter((c) => c.service === svc)
        .map(async (c) => {
          const base = { kind: "container", name: c.name, service: c.service } as const;
          emit({ ...base, action: "Stopping", status: "working" });
          await stopContainer(docker, c.id, stopTimeout(project?.services[svc], opts.timeoutSeconds));
          emit({ ...base, action: "Stopped", status: "progress" });
          emit({ ...base, action: "Removing", status: "working" });
          try {
            await docker.getContainer(c.id).remove({ force: true, v: !!opts.volumes });
          } catch (err) {
            if (!isStatus(err, 404, 409)) throw err; // already gone or being removed
          }
          emit({ ...base, action: "Removed", status: "done" });
        }),
    );
  };
  const scheduled = (svc: string): Promise<void> => {
    let p = removed.get(svc);
    if (!p) {
      p = removeService(svc);
      removed.set(svc, p);
    }
    return p;
  };
  await Promise.all(services.map(scheduled));

  const filters = projectFilter(projectName);
  // The file's external networks and volumes are never removed, even when they carry the project's
  // labels (made by an earlier version of the file that did not say external).
  const externalNames = (declared: Record<string, { name: string; external?: boolean }> = {}) =>
    new Set(Object.values(declared).flatMap((r) => (r.external ? [r.name] : [])));
  const externalNetworks = externalNames(project?.networks);
  const externalVolumes = externalNames(project?.volumes);
  const busy: NetworkInUseError["networks"][number][] = [];
  for (const n of await docker.listNetworks({ filters })) {
    if (externalNetworks.has(n.Name)) continue;
    emit({ kind: "network", name: n.Name, action: "Removing", status: "working" });
    try {
      await docker.getNetwork(n.Id).remove();
      emit({ kind: "network", name: n.Name, action: "Removed", status: "done" });
    } catch (err) {
      if (!isStatus(err, 404, 403, 409)) throw err;
      // Disconnecting someone else's container is not ours to do: name it and go on with the rest.
      const outsiders = await outsideContainers(docker, projectName, n.Id);
      if (!outsiders.length) {
        emit({ kind: "network", name: n.Name, action: "Resource is still in use", status: "warning" });
        continue;
      }
      const error = new NetworkInUseError([{ network: n.Name, containers: outsiders }]);
      emit({ kind: "network", name: n.Name, action: "Error", status: "error", detail: error.message, error });
      busy.push(...error.networks);
    }
  }

  if (opts.volumes) {
    for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) {
      if (externalVolumes.has(v.Name)) continue;
      emit({ kind: "volume", name: v.Name, action: "Removing", status: "working" });
      try {
        await docker.getVolume(v.Name).remove();
        emit({ kind: "volume", name: v.Name, action: "Removed", status: "done" });
      } catch (err) {
        if (!isStatus(err, 404, 409)) throw err;
        emit({ kind: "volume", name: v.Name, action: "Resource is still in use", status: "warning" });
      }
    }
  }

  await rm(fileObjectDir(projectName), { recursive: true, force: true });
  if (opts.rmi) await removeImages(docker, projectName, containers, opts, emit);
  if (busy.length) throw new NetworkInUseError(busy);
}

/** Names of the containers attached to a network that belong to another project or to none. */
async function outsideContainers(docker: Docker, projectName: string, networkId: string): Promise<string[]> {
  const attached = await docker.listContainers({ all: true, filters: { network: [networkId] } });
  return attached
    .filter((c) => c.Labels?.[Labels.project] !== projectName)
    .map((c) => (c.Names[0] ?? c.Id).replace(/^\//, ""))
    .sort();
}

async function removeImages(
  docker: Docker,
  projectName: string,
  containers: ObservedContainer[],
  opts: DownOptions,
  emit: (e: Omit<EngineEvent, "elapsedMs">) => void,
): Promise<void> {
  const images = new Set<string>();
  const localImage = (service: string) => defaultImageName(projectName, service);
  if (opts.rmi === "all") {
    for (const c of containers) images.add(c.image);
    for (const svc of Object.values(opts.project?.services ?? {}))
      images.add(svc.image ?? localImage(svc.name));
  } else {
    // `local`: what was tagged for a service that builds without naming its image.
    for (const svc of Object.values(opts.project?.services ?? {}))
      if (!svc.image) images.add(localImage(svc.name));
    for (const c of containers)
      if (c.image.replace(/:latest$/, "") === localImage(c.service)) images.add(c.image);
  }
  for (const image of images) {
    try {
      await docker.getImage(image).inspect();
    } catch (err) {
      if (isStatus(err, 404)) continue;
      throw err;
    }
    emit({ kind: "image", name: image, action: "Removing", status: "working" });
    try {
      await docker.getImage(image).remove();
      emit({ kind: "image", name: image, action: "Removed", status: "done" });
    } catch (err) {
      if (!isStatus(err, 404, 409)) throw err;
      emit({ kind: "image", name: image, action: "Resource is still in use", status: "warning" });
    }
  }
}
