import type { Project } from "@berth/compose-schema";
import { NoSuchServiceError } from "../base/errors.js";
import { ServiceGraph } from "../base/graph.js";
import { Labels } from "../base/labels.js";
import { defaultImageName } from "../base/names.js";
import type { ObservedContainer, ObservedState } from "../base/observe.js";
import { schedule } from "../base/schedule.js";
import { stopTimeout } from "./container-spec.js";
import type { ContainerStep, ServiceSteps } from "./lifecycle-plan.js";
import { dependenciesFromLabels } from "./ops/order.js";

export interface DownPlanOptions {
  /** The loaded file, when there is one: its services' dependencies and stop settings are used. */
  project?: Project;
  /** `down SERVICE…`: only these services and the services that depend on them; all when empty. */
  services?: string[];
  /** Also remove named volumes (by label) and anonymous volumes of the containers. */
  volumes?: boolean;
  /** `local`: images built for the project without an `image:` name; `all`: every image its containers use. */
  rmi?: "local" | "all";
  /** With a project: also remove containers of services no longer in it (without a project, all go). */
  removeOrphans?: boolean;
  /** Stop timeout in seconds, over each container's own grace period. */
  timeoutSeconds?: number;
}

export interface DownContainerStep extends ContainerStep {
  /** Seconds before the engine kills it; undefined lets the engine decide. */
  timeoutSeconds?: number;
}

/** A network, volume or image that is removed, or kept because something still uses it. */
export interface ResourceStep {
  name: string;
  reason: string;
}

export interface DownPlan {
  project: string;
  /** Per service, after the services that depend on it (schedule.ts). */
  services: ServiceSteps<DownContainerStep>[];
  /** `-v`: the containers' anonymous volumes go with them. */
  removeAnonymousVolumes: boolean;
  networks: (ResourceStep & { id: string })[];
  volumes: ResourceStep[];
  images: ResourceStep[];
  /** Networks and volumes left in place because a container that stays uses them. */
  kept: (ResourceStep & { kind: "network" | "volume" })[];
  /** Secret and config files written for the project: removed when no container is left. */
  removeFileObjects: boolean;
}

/** Service → services it depends on: the containers' `depends_on` labels, and the file's when given. */
export function serviceDependencies(
  containers: ObservedContainer[],
  project?: Project,
): Map<string, Set<string>> {
  const deps = new Map<string, Set<string>>();
  const add = (service: string, on: Iterable<string>) => {
    const set = deps.get(service) ?? new Set<string>();
    deps.set(service, set);
    for (const d of on) set.add(d);
  };
  for (const c of containers) add(c.service, dependenciesFromLabels(c.labels));
  if (project) {
    const graph = new ServiceGraph(project);
    for (const svc of graph.services) add(svc, graph.dependencies(svc));
  }
  return deps;
}

/** The named services and, transitively, every service that depends on them (compose's `down SERVICE`). */
function withDependents(named: string[], deps: Map<string, Set<string>>): Set<string> {
  const scope = new Set(named);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [svc, on] of deps) {
      if (scope.has(svc) || ![...on].some((d) => scope.has(d))) continue;
      scope.add(svc);
      grew = true;
    }
  }
  return scope;
}

/**
 * The images `--rmi` would remove, before knowing which exist: `local`, what was tagged for a service that
 * builds without naming its image; `all`, also every image the containers and services use.
 */
export function imagesToRemove(
  projectName: string,
  containers: ObservedContainer[],
  opts: Pick<DownPlanOptions, "rmi" | "project">,
): string[] {
  const images = new Set<string>();
  const localImage = (service: string) => defaultImageName(projectName, service);
  const services = Object.values(opts.project?.services ?? {});
  if (opts.rmi === "all") {
    for (const c of containers) images.add(c.image);
    for (const svc of services) images.add(svc.image ?? localImage(svc.name));
  } else if (opts.rmi === "local") {
    for (const svc of services) if (!svc.image) images.add(localImage(svc.name));
    for (const c of containers)
      if (c.image.replace(/:latest$/, "") === localImage(c.service)) images.add(c.image);
  }
  return [...images];
}

/** Which containers `down` removes: the project's, one-offs included, orphans only when asked. */
function inProject(c: ObservedContainer, opts: DownPlanOptions): boolean {
  const { project } = opts;
  return (
    !project || !!opts.removeOrphans || !!project.services[c.service] || !!project.disabledServices[c.service]
  );
}

/**
 * What `berth down` removes, from what the engine holds (by the project's labels) and the file when there is
 * one. `observed.images` must hold the candidates of `imagesToRemove` that exist. Pure.
 */
export function planDown(observed: ObservedState, opts: DownPlanOptions = {}): DownPlan {
  const { project } = opts;
  const candidates = observed.containers.filter((c) => inProject(c, opts));
  const deps = serviceDependencies(candidates, project);
  const named = opts.services ?? [];
  const known = new Set([...deps.keys(), ...Object.keys(project?.services ?? {})]);
  // With the file, a name it does not know is a mistake; without it, the service may simply be gone.
  if (project) for (const s of named) if (!known.has(s)) throw new NoSuchServiceError(s);
  const scope = named.length
    ? withDependents(
        named.filter((s) => known.has(s)),
        deps,
      )
    : undefined;
  const orphan = (c: ObservedContainer) =>
    !!project && !project.services[c.service] && !project.disabledServices[c.service];
  const removed = candidates.filter((c) => !scope || scope.has(c.service) || orphan(c));
  const staying = observed.containers.filter((c) => !removed.includes(c));

  // With services named, the others in scope go because they depend on one of those.
  const whyRemoved = (service: string): string => {
    if (!scope) return "project container";
    if (named.includes(service)) return "named";
    const on = [...(deps.get(service) ?? [])].filter((d) => scope.has(d)).sort();
    return `depends on ${on.join(", ")}`;
  };
  const services = [...new Set(removed.map((c) => c.service))];
  const order = schedule(services, deps, "dependents-first");
  const planned = [...order].map(([service, after]) => ({
    service,
    after,
    steps: removed
      .filter((c) => c.service === service)
      .map(
        (c): DownContainerStep => ({
          container: c,
          action: "Removed",
          reason: orphan(c) ? "orphan (--remove-orphans)" : whyRemoved(service),
          timeoutSeconds: stopTimeout(project?.services[service], opts.timeoutSeconds),
        }),
      ),
  }));

  // The file's external networks and volumes are never removed, even when they carry the project's
  // labels (made by an earlier version of the file that did not say external).
  const external = (declared: Record<string, { name: string; external?: boolean }> = {}) =>
    new Set(Object.values(declared).flatMap((r) => (r.external ? [r.name] : [])));
  const externalNetworks = external(project?.networks);
  const externalVolumes = external(project?.volumes);
  const ours = (labels: Record<string, string>) => labels[Labels.project] === observed.project;
  const usedBy = (uses: (c: ObservedContainer) => boolean) => staying.filter(uses).map((c) => c.name);
  const kept: DownPlan["kept"] = [];
  const networks: DownPlan["networks"] = [];
  for (const n of observed.networks) {
    if (!ours(n.labels) || externalNetworks.has(n.name)) continue;
    const users = usedBy((c) => c.networks.includes(n.name));
    if (users.length) kept.push({ kind: "network", name: n.name, reason: `used by ${users.join(", ")}` });
    else
      networks.push({
        name: n.name,
        id: n.id,
        reason: scope ? "no container left on it" : "project network",
      });
  }
  const volumes: DownPlan["volumes"] = [];
  for (const v of opts.volumes ? observed.volumes : []) {
    if (!ours(v.labels) || externalVolumes.has(v.name)) continue;
    const users = usedBy((c) => c.volumes.some((m) => m.name === v.name));
    if (users.length) kept.push({ kind: "volume", name: v.name, reason: `used by ${users.join(", ")}` });
    else volumes.push({ name: v.name, reason: "-v" });
  }
  const stayingImages = new Set(staying.map((c) => c.image));
  const images = imagesToRemove(observed.project, removed, {
    rmi: opts.rmi,
    project: scope && project ? { ...project, services: pick(project.services, scope) } : project,
  })
    .filter((image) => observed.images[image] && !stayingImages.has(image))
    .map((name) => ({ name, reason: `--rmi ${opts.rmi}` }));

  return {
    project: observed.project,
    services: planned,
    removeAnonymousVolumes: !!opts.volumes,
    networks,
    volumes,
    images,
    kept,
    removeFileObjects: staying.length === 0,
  };
}

function pick<T>(record: Record<string, T>, keys: Set<string>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => keys.has(k)));
}
