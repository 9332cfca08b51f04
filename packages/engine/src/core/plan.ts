import type { NetworkConfig, Project, ServiceConfig, VolumeConfig } from "@berth/compose-schema";
import type Docker from "dockerode";
import { ExternalResourceNotFoundError, NoSuchServiceError, ResourceConflictError } from "../base/errors.js";
import { type Dependency, ServiceGraph } from "../base/graph.js";
import { Labels } from "../base/labels.js";
import { containerName } from "../base/names.js";
import type { ObservedContainer, ObservedNetwork, ObservedState, ObservedVolume } from "../base/observe.js";
import {
  CONFIG_DIGEST_LABEL,
  configChanges,
  configDigest,
  parseConfigDigest,
  serviceConfigHash,
} from "./config-hash.js";
import {
  type ContainerSpec,
  type ContainerSpecInput,
  type Pending,
  containerSpec,
  imageOf,
  stopTimeout,
  volumeEngineName,
} from "./container-spec.js";
import { fileObjectDir, plannedFileObjects } from "./file-objects.js";
import { networkSpec, volumeSpec } from "./resource-spec.js";

export interface PlanOptions {
  /** Services to bring up (with their dependencies unless `noDeps`); all when absent. */
  services?: string[];
  noDeps?: boolean;
  forceRecreate?: boolean;
  noRecreate?: boolean;
  removeOrphans?: boolean;
  /** Replicas per service, over `scale` and `deploy.replicas`. */
  scale?: Record<string, number>;
  /**
   * `create`: containers are created (or recreated) but not started, so stopped containers are kept as
   * they are and nothing is restarted for a recreated dependency.
   */
  noStart?: boolean;
  /** `-t`: overrides each service's stop_grace_period when a container is stopped. */
  timeoutSeconds?: number;
}

/** A volume mount of an old container that its replacement mounts again, so its data stays. */
export interface InheritedVolume {
  name: string;
  target: string;
}

/**
 * Every action says why, in the words `--dry-run` and progress show. A container to create comes with
 * its whole create spec (labels included); the executor only fills in its placeholders.
 */
export type ContainerAction =
  | { type: "create"; service: string; number: number; reason: string; spec: ContainerSpec }
  | {
      type: "recreate";
      service: string;
      number: number;
      container: ObservedContainer;
      reason: string;
      /** The old container's anonymous volumes, mounted again in the new one (`spec` mounts them). */
      inheritedVolumes: InheritedVolume[];
      spec: ContainerSpec;
      /** Seconds the old container gets to stop; undefined lets the engine decide. */
      stopTimeout?: number;
    }
  | {
      type: "start";
      service: string;
      container: ObservedContainer;
      reason: string;
      /**
       * When the engine refuses the start with a stale task (a dockerd that crashed while starting it),
       * only a new container ID escapes that state: remove it and create it anew, with this reason.
       */
      replaceIfStale: { reason: string; inheritedVolumes: InheritedVolume[]; spec: ContainerSpec };
    }
  /**
   * `run`: a one-off container, created after the service's dependencies, started by the executor only
   * when `detach` (an attached run starts it once its output is attached); `remove` is `--rm`.
   */
  | {
      type: "run";
      service: string;
      name: string;
      reason: string;
      spec: ContainerSpec;
      detach: boolean;
      remove: boolean;
    }
  /** Nothing to do; `shown` is the word progress shows for it (compose shows a kept stopped one as Created). */
  | { type: "keep"; service: string; container: ObservedContainer; shown: "Running" | "Created" }
  /** A running container whose dependency was recreated, with `restart: true` on that dependency. */
  | { type: "restart"; service: string; container: ObservedContainer; reason: string; stopTimeout?: number }
  /** Scale down: beyond the wanted replicas. */
  | { type: "remove"; service: string; container: ObservedContainer; reason: string; stopTimeout?: number };

export interface ServicePlan {
  service: string;
  replicas: number;
  actions: ContainerAction[];
  /** What the service waits for before it is acted on: its dependency edges to services in the plan. */
  after: Dependency[];
}

export interface Plan {
  project: string;
  /** Networks and volumes to create, each with its create body (`spec`) as the engine receives it. */
  networks: { key: string; config: NetworkConfig; spec: Docker.NetworkCreateOptions }[];
  volumes: { key: string; config: VolumeConfig; spec: Docker.VolumeCreateOptions }[];
  /** Dependencies first. */
  services: ServicePlan[];
  /** Containers of services no longer in the file, removed because `removeOrphans` was asked. */
  orphans: { container: ObservedContainer; stopTimeout?: number }[];
  warnings: string[];
  /**
   * Created and recreated containers are started, and dependencies' conditions awaited before a service
   * is acted on; false for `create`, which leaves containers created (nothing runs to meet a condition).
   */
  start: boolean;
}

export function replicasOf(service: ServiceConfig, scale?: Record<string, number>): number {
  return scale?.[service.name] ?? service.scale ?? service.deploy?.replicas ?? 1;
}

/** The services an `up` touches, dependencies first: the named ones (all by default) and, unless `noDeps`, what they need. */
export function servicesInScope(
  project: Project,
  graph: ServiceGraph,
  opts: Pick<PlanOptions, "services" | "noDeps">,
): string[] {
  for (const s of opts.services ?? []) if (!project.services[s]) throw new NoSuchServiceError(s);
  if (!opts.services?.length) return graph.startOrder();
  return opts.noDeps ? graph.startOrder(opts.services) : graph.withDependencies(opts.services);
}

/** True when applying the plan would change nothing. */
export function planIsEmpty(plan: Plan): boolean {
  return (
    plan.networks.length === 0 &&
    plan.volumes.length === 0 &&
    plan.orphans.length === 0 &&
    plan.services.every((s) => s.actions.every((a) => a.type === "keep"))
  );
}

/** `expected` keys whose value differs in `actual`, as `key=value` of the file. */
function differing(expected: Record<string, string>, actual: Record<string, string>): string[] {
  return Object.entries(expected)
    .filter(([k, v]) => actual[k] !== v)
    .map(([k, v]) => `${k}=${v}`);
}

function checkNetwork(project: Project, key: string, cfg: NetworkConfig, found: ObservedNetwork): void {
  const fix = `remove it with berth down or docker network rm ${cfg.name}`;
  const driver = cfg.driver ?? "bridge";
  if (found.driver !== driver) {
    throw new ResourceConflictError(
      "network",
      cfg.name,
      `network ${cfg.name} exists with driver ${found.driver} but the file says ${driver}: ${fix}`,
    );
  }
  const expectedLabels = { ...cfg.labels, [Labels.project]: project.name, [Labels.network]: key };
  const bad = [
    ...differing(cfg.driver_opts ?? {}, found.options),
    ...differing(expectedLabels, found.labels),
  ];
  if (bad.length) {
    throw new ResourceConflictError(
      "network",
      cfg.name,
      `network ${cfg.name} exists with other options or labels than the file says (${bad.join(", ")}): ${fix}`,
    );
  }
}

function checkVolume(
  project: Project,
  key: string,
  cfg: VolumeConfig,
  found: ObservedVolume,
  warnings: string[],
): void {
  const fix = `remove it with berth down -v or docker volume rm ${cfg.name} (its data is lost)`;
  const driver = cfg.driver ?? "local";
  if (found.driver !== driver) {
    throw new ResourceConflictError(
      "volume",
      cfg.name,
      `volume ${cfg.name} exists with driver ${found.driver} but the file says ${driver}: ${fix}`,
    );
  }
  const bad = [
    ...differing(cfg.driver_opts ?? {}, found.options),
    ...differing(cfg.labels ?? {}, found.labels),
  ];
  if (bad.length) {
    throw new ResourceConflictError(
      "volume",
      cfg.name,
      `volume ${cfg.name} exists with other options or labels than the file says (${bad.join(", ")}): ${fix}`,
    );
  }
  // Like compose: an unlabelled volume of the same name is used, with a warning.
  if (found.labels[Labels.project] !== project.name || found.labels[Labels.volume] !== key) {
    warnings.push(
      `volume "${cfg.name}" already exists but was not created for project "${project.name}". Use external: true to use an existing volume`,
    );
  }
}

/**
 * Why a container no longer matches its service, naming what changed (`environment.API_URL changed;
 * image changed`); "config changed" when the container carries no digest to compare (made by compose).
 */
function recreateReason(
  service: ServiceConfig,
  container: ObservedContainer,
  hash: string,
  imageId: string | undefined,
): string | undefined {
  const reasons: string[] = [];
  if (container.configHash !== hash) {
    const previous = parseConfigDigest(container.labels[CONFIG_DIGEST_LABEL]);
    const changes = previous ? configChanges(previous, configDigest(service)) : [];
    reasons.push(...(changes.length ? changes : ["config changed"]));
  }
  if (imageId && container.imageId !== imageId && !reasons.includes("image changed"))
    reasons.push("image changed");
  return reasons.length ? reasons.join("; ") : undefined;
}

function isRunning(container: ObservedContainer): boolean {
  return container.state === "running" || container.state === "restarting";
}

/** `create` keeps what exists; compose shows a kept container that is not up (nor paused) as Created. */
function shownWhenKept(container: ObservedContainer): "Running" | "Created" {
  return isRunning(container) || container.state === "paused" ? "Running" : "Created";
}

/** The container's volumes that are not the project's named ones: a recreate mounts them again. */
function anonymousVolumes(project: Project, container: ObservedContainer): InheritedVolume[] {
  const named = new Set(Object.values(project.volumes).map((v) => v.name));
  return container.volumes.filter((v) => !named.has(v.name));
}

/** The spec of container `number` of the service being planned, mounting `inherited` volumes again. */
type SpecOf = (number: number, inherited?: InheritedVolume[]) => ContainerSpec;

function recreate(
  project: Project,
  container: ObservedContainer,
  reason: string,
  specOf: SpecOf,
  timeout: number | undefined,
): ContainerAction {
  const { service, number } = container;
  const inheritedVolumes = anonymousVolumes(project, container);
  const spec = specOf(number, inheritedVolumes);
  return {
    type: "recreate",
    service,
    number,
    container,
    reason,
    inheritedVolumes,
    spec,
    stopTimeout: timeout,
  };
}

/** The lowest-numbered container a service keeps or makes: the one `service:x` means. */
function firstContainer(plan: ServicePlan): ContainerAction | undefined {
  const number = (a: ContainerAction) =>
    a.type === "create" || a.type === "recreate" ? a.number : a.type === "run" ? 0 : a.container.number;
  return plan.actions.filter((a) => a.type !== "remove").sort((a, b) => number(a) - number(b))[0];
}

/**
 * What every container spec of `service` takes from the plan: its image's ID (pending while absent:
 * pulled or built in the run), the containers of the services whose namespaces it joins, as planned in
 * `earlier` (pending unless kept as they are), and the secret and config files written for the run.
 */
export function specContext(
  project: Project,
  observed: ObservedState,
  service: ServiceConfig,
  earlier: readonly ServicePlan[],
  files: Record<string, string>,
): Omit<ContainerSpecInput, "number"> {
  const reference = imageOf(project, service);
  const serviceContainers: Record<string, string | Pending> = {};
  for (const owner of namespaceOwners(service)) {
    const plan = earlier.find((p) => p.service === owner);
    const first = plan && firstContainer(plan);
    if (!first) continue;
    if (first.type === "keep" || first.type === "restart") serviceContainers[owner] = first.container.id;
    else {
      const number = "number" in first ? first.number : "container" in first ? first.container.number : 1;
      const name = containerName(project.name, owner, number, project.services[owner]?.container_name);
      serviceContainers[owner] = { pending: "container", service: owner, name };
    }
  }
  return {
    project,
    service,
    imageId: observed.images[reference] ?? { pending: "image", reference },
    serviceContainers,
    generatedFiles: files,
  };
}

/** The files the plan's containers mount for secrets and configs, for the services in scope. */
export function planFiles(project: Project, services: readonly string[]): Record<string, string> {
  return plannedFileObjects(project, services, fileObjectDir(project.name));
}

function planContainers(
  project: Project,
  service: ServiceConfig,
  observed: ObservedState,
  opts: PlanOptions,
  specOf: SpecOf,
): ServicePlan {
  const replicas = replicasOf(service, opts.scale);
  if (service.container_name && replicas > 1) {
    throw new ResourceConflictError(
      "container",
      service.container_name,
      `service ${service.name} sets container_name ${service.container_name} and cannot run ${replicas} replicas: remove container_name to scale it`,
    );
  }
  // A recreate renames the old container aside before it creates the new one; a process killed in
  // between leaves it so. The container with the expected name wins its number; one left aside is
  // recreated, which gives the service its name back.
  const named = (c: ObservedContainer) =>
    c.name === containerName(project.name, service.name, c.number, service.container_name);
  const existing = observed.containers
    .filter((c) => c.service === service.name && !c.oneoff && !c.hook)
    .sort((a, b) => a.number - b.number || Number(named(b)) - Number(named(a)));
  const kept = existing.slice(0, replicas);
  const removed = existing.slice(replicas).reverse();
  const hash = serviceConfigHash(service);
  const imageId = observed.images[imageOf(project, service)];
  const timeout = stopTimeout(service, opts.timeoutSeconds);
  const actions: ContainerAction[] = [];
  for (const container of kept) {
    const reason = opts.noRecreate
      ? undefined
      : opts.forceRecreate
        ? "--force-recreate"
        : (recreateReason(service, container, hash, imageId) ??
          (named(container) ? undefined : `left as ${container.name} by an interrupted recreate`));
    if (reason) actions.push(recreate(project, container, reason, specOf, timeout));
    // A paused container is started like a stopped one, as docker compose does: the engine refuses
    // ("cannot start a paused container, try unpause instead") and `up` fails saying so.
    else if (isRunning(container))
      actions.push({ type: "keep", service: service.name, container, shown: "Running" });
    else if (opts.noStart)
      actions.push({ type: "keep", service: service.name, container, shown: shownWhenKept(container) });
    else {
      const inheritedVolumes = anonymousVolumes(project, container);
      actions.push({
        type: "start",
        service: service.name,
        container,
        reason: container.state,
        replaceIfStale: {
          reason: "the engine crashed while starting it",
          inheritedVolumes,
          spec: specOf(container.number, inheritedVolumes),
        },
      });
    }
  }
  let next = existing.reduce((max, c) => Math.max(max, c.number), 0);
  for (let i = kept.length; i < replicas; i++) {
    const reason = existing.length ? `scale up to ${replicas}` : "no container";
    const number = ++next;
    actions.push({ type: "create", service: service.name, number, reason, spec: specOf(number) });
  }
  for (const container of removed)
    actions.push({
      type: "remove",
      service: service.name,
      container,
      reason: `scale down to ${replicas}`,
      stopTimeout: timeout,
    });
  return { service: service.name, replicas, actions, after: [] };
}

/** Services that join another's namespaces (`network_mode`, `ipc`, `pid`: `service:x`). */
function namespaceOwners(service: ServiceConfig): string[] {
  return [service.network_mode, service.ipc, service.pid]
    .filter((v): v is string => !!v?.startsWith("service:"))
    .map((v) => v.slice("service:".length));
}

/**
 * Plans each service's containers in start order (dependencies first), following replacements down the
 * graph: a container sharing the namespaces of a replaced one would point at a removed container, so it
 * is recreated; a running container whose `depends_on` entry says `restart: true` is restarted. Each
 * spec is made once the services it refers to are planned.
 */
function planServices(
  project: Project,
  observed: ObservedState,
  services: ServiceConfig[],
  opts: PlanOptions,
  after: (service: string) => Dependency[],
): ServicePlan[] {
  const files = planFiles(
    project,
    services.map((s) => s.name),
  );
  const replaced = new Set<string>();
  const recreated = new Set<string>();
  const plans: ServicePlan[] = [];
  for (const service of services) {
    const context = specContext(project, observed, service, plans, files);
    const specOf: SpecOf = (number, inheritedVolumes) =>
      containerSpec({ ...context, number, inheritedVolumes });
    const plan = planContainers(project, service, observed, opts, specOf);
    const timeout = stopTimeout(service, opts.timeoutSeconds);
    const owner = namespaceOwners(service).find((o) => replaced.has(o));
    // Without starting, a recreated dependency is not running yet: there is nothing to restart for.
    const restartFor = opts.noStart
      ? undefined
      : Object.entries(service.depends_on ?? {}).find(([dep, d]) => d.restart && recreated.has(dep))?.[0];
    plan.actions = plan.actions.map((a): ContainerAction => {
      if (owner && (a.type === "keep" || a.type === "start")) {
        return recreate(project, a.container, `${owner} was recreated`, specOf, timeout);
      }
      if (restartFor && a.type === "keep") {
        return {
          type: "restart",
          service: a.service,
          container: a.container,
          reason: `${restartFor} was recreated`,
          stopTimeout: timeout,
        };
      }
      return a;
    });
    if (plan.actions.some((a) => a.type === "recreate")) recreated.add(plan.service);
    if (plan.actions.some((a) => a.type === "recreate" || a.type === "create")) replaced.add(plan.service);
    plans.push({ ...plan, after: after(service.name) });
  }
  return plans;
}

/** What `up` must do to bring the engine from `observed` to `project`. Pure. */
export function planUp(project: Project, observed: ObservedState, opts: PlanOptions = {}): Plan {
  const graph = new ServiceGraph(project);
  const services = servicesInScope(project, graph, opts).map((n) => project.services[n]);
  const inPlan = new Set(services.map((s) => s.name));
  const warnings: string[] = [];

  const networkKeys = new Set<string>();
  const volumeKeys = new Set<string>();
  for (const svc of services) {
    for (const key of Object.keys(svc.networks ?? {})) networkKeys.add(key);
    if (!svc.networks && !svc.network_mode && project.networks.default) networkKeys.add("default");
    for (const v of svc.volumes ?? [])
      if (v.type === "volume" && v.source && project.volumes[v.source]) volumeKeys.add(v.source);
  }

  const networks: Plan["networks"] = [];
  for (const key of [...networkKeys].sort()) {
    const config = project.networks[key];
    if (!config) continue;
    const found = observed.networks.find((n) => n.name === config.name);
    if (config.external) {
      if (!found) throw new ExternalResourceNotFoundError("network", config.name);
    } else if (found) checkNetwork(project, key, config, found);
    else networks.push({ key, config, spec: networkSpec(project, key, config) });
  }
  const volumes: Plan["volumes"] = [];
  for (const key of [...volumeKeys].sort()) {
    const config = project.volumes[key];
    const found = observed.volumes.find((v) => v.name === volumeEngineName(project, key));
    if (config.external) {
      if (!found) throw new ExternalResourceNotFoundError("volume", config.name);
    } else if (found) checkVolume(project, key, config, found, warnings);
    else volumes.push({ key, config, spec: volumeSpec(project, key, config) });
  }

  const orphanContainers = observed.containers.filter(
    (c) => !c.oneoff && !c.hook && !project.services[c.service] && !project.disabledServices[c.service],
  );
  if (orphanContainers.length && !opts.removeOrphans) {
    warnings.push(
      `Found orphan containers (${orphanContainers.map((c) => c.name).join(", ")}) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`,
    );
  }

  return {
    project: project.name,
    networks,
    volumes,
    services: planServices(project, observed, services, opts, (name) =>
      graph.dependencyEdges(name).filter((d) => inPlan.has(d.on)),
    ),
    // An orphan's service is gone from the file: only `-t` can say how long it gets to stop.
    orphans: opts.removeOrphans
      ? orphanContainers.map((container) => ({
          container,
          stopTimeout: stopTimeout(undefined, opts.timeoutSeconds),
        }))
      : [],
    warnings,
    start: !opts.noStart,
  };
}
