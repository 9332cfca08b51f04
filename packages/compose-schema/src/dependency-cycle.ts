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

/**
 * A path around one cycle of `edges` (each node → the nodes it needs), `a -> b -> a`; [] when none.
 * Depth-first without recursion, so that a long chain of dependencies cannot overflow the stack.
 */
export function findCycle(edges: Map<string, string[]>): string[] {
  const state = new Map<string, "visiting" | "done">();
  for (const start of [...edges.keys()].sort()) {
    if (state.has(start)) continue;
    // The path from `start`, each node with the index of the next edge to follow.
    const path: [string, number][] = [[start, 0]];
    state.set(start, "visiting");
    while (path.length > 0) {
      const top = path[path.length - 1] as [string, number];
      const next = edges.get(top[0])?.[top[1]++];
      if (next === undefined) {
        state.set(top[0], "done");
        path.pop();
      } else if (state.get(next) === "visiting") {
        const nodes = path.map(([n]) => n);
        return [...nodes.slice(nodes.indexOf(next)), next];
      } else if (!state.has(next)) {
        state.set(next, "visiting");
        path.push([next, 0]);
      }
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
