import { BerthError } from "./errors.js";
import type { Project } from "./types.js";

/** Services that need each other to start first: no order can start them. */
export class DependencyCycleError extends BerthError {
  readonly cycle: readonly string[];
  constructor(cycle: readonly string[]) {
    super("DEPENDENCY_CYCLE", `dependency cycle: ${cycle.join(" -> ")}`);
    this.cycle = cycle;
  }
}

/** A path around one cycle of `edges` (each node → the nodes it needs), `a -> b -> a`; [] when none. */
export function findCycle(edges: Map<string, string[]>): string[] {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, "visiting");
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === "visiting") return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of [...edges.keys()].sort()) {
    if (!state.has(node)) {
      const found = visit(node);
      if (found) return found;
    }
  }
  return [];
}

/**
 * Throws DependencyCycleError when the project's services depend on each other in a loop, as compose's
 * loader does. `depends_on` already holds what links, volumes_from and `service:` namespaces imply.
 */
export function checkDependencyCycle(project: Project): void {
  const edges = new Map<string, string[]>();
  for (const [name, service] of Object.entries(project.services)) {
    edges.set(
      name,
      Object.keys(service.depends_on ?? {}).filter((dep) => Object.hasOwn(project.services, dep)),
    );
  }
  const cycle = findCycle(edges);
  if (cycle.length > 0) throw new DependencyCycleError(cycle);
}
