import { DependencyCycleError, type Project, type ServiceDependency, findCycle } from "@berth/compose-schema";
import toposort from "toposort";
import { MissingDependencyError, NoSuchServiceError } from "./errors.js";

export type DependencyKind = "depends_on" | "links" | "network_mode" | "volumes_from" | "ipc" | "pid";

export interface Dependency {
  service: string;
  on: string;
  kind: DependencyKind;
  condition: ServiceDependency["condition"];
  restart: boolean;
}

/** The services a service needs, from every attribute that names another service. */
function declaredDependencies(project: Project, name: string): (Dependency & { required: boolean })[] {
  const svc = project.services[name];
  const deps: (Dependency & { required: boolean })[] = [];
  const add = (on: string, kind: DependencyKind, required = true, restart = false) =>
    deps.push({ service: name, on, kind, condition: "service_started", required, restart });
  for (const [on, d] of Object.entries(svc.depends_on ?? {})) {
    deps.push({
      service: name,
      on,
      kind: "depends_on",
      condition: d.condition,
      required: d.required,
      restart: !!d.restart,
    });
  }
  for (const link of svc.links ?? []) add(link.split(":")[0], "links");
  const serviceRef = (value: string | undefined) =>
    value?.startsWith("service:") ? value.slice("service:".length) : undefined;
  const net = serviceRef(svc.network_mode);
  if (net) add(net, "network_mode");
  const ipc = serviceRef(svc.ipc);
  if (ipc) add(ipc, "ipc");
  const pid = serviceRef(svc.pid);
  if (pid) add(pid, "pid");
  for (const from of svc.volumes_from ?? []) {
    if (!from.startsWith("container:")) add(from.split(":")[0], "volumes_from");
  }
  return deps;
}

/** The services of a project and what each needs started first. Built once per operation. */
export class ServiceGraph {
  private readonly deps = new Map<string, Dependency[]>();
  private readonly order: string[];

  constructor(project: Project) {
    const names = Object.keys(project.services).sort();
    for (const name of names) {
      const kept: Dependency[] = [];
      for (const { required, ...dep } of declaredDependencies(project, name)) {
        if (project.services[dep.on]) {
          // Two attributes may name the same service; the strictest condition wins.
          const existing = kept.find((d) => d.on === dep.on);
          if (!existing) kept.push(dep);
          else if (existing.condition === "service_started")
            Object.assign(existing, { condition: dep.condition });
          continue;
        }
        if (!required) continue;
        throw new MissingDependencyError(name, dep.on, dep.on in project.disabledServices);
      }
      this.deps.set(name, kept);
    }
    const edges: [string, string][] = [];
    for (const [name, deps] of this.deps) for (const d of deps) edges.push([d.on, name]);
    try {
      this.order = toposort.array(names, edges);
    } catch {
      const adjacency = new Map<string, string[]>();
      for (const [name, deps] of this.deps)
        adjacency.set(
          name,
          deps.map((d) => d.on),
        );
      throw new DependencyCycleError(findCycle(adjacency));
    }
  }

  get services(): string[] {
    return [...this.order];
  }

  dependencyEdges(name: string): Dependency[] {
    return this.deps.get(name) ?? [];
  }

  dependencies(name: string): string[] {
    return this.dependencyEdges(name).map((d) => d.on);
  }

  dependents(name: string): string[] {
    return this.order.filter((other) => this.dependencies(other).includes(name));
  }

  /** Dependencies first. With `names`, only those services, in that relative order. */
  startOrder(names?: Iterable<string>): string[] {
    if (!names) return this.services;
    const wanted = new Set(names);
    return this.order.filter((n) => wanted.has(n));
  }

  /** Dependents first: the order to stop in. */
  reverseOrder(names?: Iterable<string>): string[] {
    return this.startOrder(names).reverse();
  }

  /** `names` and everything they need, transitively, in start order. */
  withDependencies(names: Iterable<string>): string[] {
    const seen = new Set<string>();
    const visit = (n: string) => {
      if (!this.deps.has(n)) throw new NoSuchServiceError(n);
      if (seen.has(n)) return;
      seen.add(n);
      for (const d of this.dependencies(n)) visit(d);
    };
    for (const n of names) visit(n);
    return this.startOrder(seen);
  }
}
