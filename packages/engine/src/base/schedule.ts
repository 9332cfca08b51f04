/** Who goes first: what a service depends on (`start`, `up`), or what depends on it (`stop`, `down`). */
export type Direction = "dependencies-first" | "dependents-first";

/**
 * Each service (of `services`) → the services it waits for, in an order that respects them (dependency
 * level by level, by name within a level). Dependencies outside `services` are ignored. One cycle
 * policy for every walk of the graph: the services caught in a cycle, or behind one, go last and
 * together, waiting only for what is outside it — the containers exist already, so order is a courtesy
 * to them, never a reason to refuse.
 */
export function schedule(
  services: string[],
  deps: Map<string, Iterable<string>>,
  direction: Direction,
): Map<string, string[]> {
  const all = new Set(services);
  const blockers = new Map<string, string[]>(services.map((s) => [s, []]));
  for (const s of services) {
    for (const d of deps.get(s) ?? []) {
      if (d === s || !all.has(d)) continue;
      // Dependencies first: s waits for d. Dependents first: d waits for s.
      if (direction === "dependencies-first") blockers.get(s)?.push(d);
      else blockers.get(d)?.push(s);
    }
  }
  const order = new Map<string, string[]>();
  let remaining = [...services].sort();
  while (remaining.length) {
    const level = remaining.filter((s) => (blockers.get(s) ?? []).every((b) => order.has(b)));
    const stuck = level.length === 0;
    for (const s of stuck ? remaining : level)
      order.set(s, [...new Set(blockers.get(s))].filter((b) => !stuck || !remaining.includes(b)).sort());
    remaining = stuck ? [] : remaining.filter((s) => !order.has(s));
  }
  return order;
}

export interface ScheduleHooks {
  /**
   * What `service` waits for on its edge to `on`, given `on`'s run (up: that run, then the dependency's
   * condition, healthy or completed). By default: that run.
   */
  wait?: (service: string, on: string, run: Promise<void>) => Promise<void>;
  /** Told once per service that failed, by its run or by one of its waits, before its dependents hear. */
  failed?: (service: string, error: unknown) => void;
}

/**
 * Runs `run` once per service as soon as its waits on the services it comes after are over. A service
 * whose wait failed is not run; the first failure rejects once everything started has settled.
 */
export async function runScheduled(
  order: Map<string, string[]>,
  run: (service: string) => Promise<void>,
  hooks: ScheduleHooks = {},
): Promise<void> {
  const { wait = (_service, _on, done) => done, failed } = hooks;
  const runs = new Map<string, Promise<void>>();
  const scheduled = (service: string): Promise<void> => {
    let p = runs.get(service);
    if (!p) {
      p = Promise.all((order.get(service) ?? []).map((on) => wait(service, on, scheduled(on))))
        .then(() => run(service))
        .catch((error: unknown) => {
          failed?.(service, error);
          throw error;
        });
      runs.set(service, p);
    }
    return p;
  };
  const results = await Promise.allSettled([...order.keys()].map(scheduled));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) throw failure.reason;
}
