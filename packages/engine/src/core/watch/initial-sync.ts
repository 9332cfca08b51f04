import { readdir, stat } from "node:fs/promises";
import { join, posix } from "node:path";
import { type RuleMatcher, matchPath, skippableDir } from "./match.js";
import type { SyncEntry } from "./plan.js";

/**
 * `initial_sync`: every file of the rule's path the rule would sync, so that the container starts from
 * the host's tree (folders the rule ignores are not walked).
 */
export async function initialSyncEntries(m: RuleMatcher): Promise<SyncEntry[]> {
  const target = m.rule.target;
  if (target === undefined) return [];
  const root = await stat(m.rule.path).catch(() => undefined);
  if (!root) return [];
  if (!root.isDirectory()) return [{ hostPath: m.rule.path, containerPath: target }];
  const entries: SyncEntry[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = matchPath(m, path);
      if (entry.isDirectory()) {
        if (skippableDir([m], path)) continue;
        if (rel !== undefined) entries.push({ hostPath: path, containerPath: posix.join(target, rel) });
        await walk(path);
      } else if (rel !== undefined) {
        entries.push({ hostPath: path, containerPath: posix.join(target, rel) });
      }
    }
  };
  await walk(m.rule.path);
  return entries;
}
