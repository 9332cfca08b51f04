import { posix } from "node:path";
import { type RuleMatcher, matchPath } from "./match.js";
import type { WatchExec } from "./rules.js";

/** What happened to a path during a burst: the last event for it wins. */
export type ChangeKind = "write" | "remove";

/** A host path to copy into the containers, and where it goes. */
export interface SyncEntry {
  hostPath: string;
  containerPath: string;
}

/** Everything one burst asks of one service, so that each step is one engine call per container. */
export interface ServiceWork {
  service: string;
  /** A `rebuild` rule matched: build and recreate; the service's syncs are moot (the image has them). */
  rebuild: boolean;
  copies: SyncEntry[];
  /** Container paths to remove. */
  removes: string[];
  restart: boolean;
  /** `sync+exec` commands, in rule order, each once. */
  execs: WatchExec[];
  /** Host paths that made this work, for messages. */
  triggers: string[];
}

/**
 * Turns a burst of changes into the work for each service: every rule that matches a path acts on it
 * (a file under two sync rules goes to both targets), and a rebuild replaces the rest of the service's
 * work.
 */
export function planBurst(
  matchers: readonly RuleMatcher[],
  changes: ReadonlyMap<string, ChangeKind>,
): ServiceWork[] {
  const byService = new Map<string, ServiceWork>();
  const workOf = (service: string): ServiceWork => {
    let work = byService.get(service);
    if (!work) {
      work = { service, rebuild: false, copies: [], removes: [], restart: false, execs: [], triggers: [] };
      byService.set(service, work);
    }
    return work;
  };
  for (const m of matchers) {
    const { rule } = m;
    let matched = false;
    for (const [path, kind] of changes) {
      const rel = matchPath(m, path);
      if (rel === undefined) continue;
      matched = true;
      const work = workOf(rule.service);
      work.triggers.push(path);
      if (rule.target === undefined) continue;
      const containerPath = rel === "" ? rule.target : posix.join(rule.target, rel);
      if (kind === "remove") work.removes.push(containerPath);
      else work.copies.push({ hostPath: path, containerPath });
    }
    if (!matched) continue;
    const work = workOf(rule.service);
    if (rule.action === "rebuild") work.rebuild = true;
    if (rule.action === "restart" || rule.action === "sync+restart") work.restart = true;
    if (rule.exec && !work.execs.includes(rule.exec)) work.execs.push(rule.exec);
  }
  return [...byService.values()].map((work) =>
    work.rebuild ? { ...work, copies: [], removes: [], restart: false, execs: [] } : work,
  );
}
