import { isAbsolute, posix, relative, resolve } from "node:path";
import { type Project, type ServiceConfig, splitShellWords } from "@berth/compose-schema";
import { WatchRuleError } from "./errors.js";

export type WatchAction = "sync" | "rebuild" | "restart" | "sync+restart" | "sync+exec";

const ACTIONS: readonly WatchAction[] = ["sync", "rebuild", "restart", "sync+restart", "sync+exec"];

/** `exec:` of a `sync+exec` rule, as the engine's exec takes it. */
export interface WatchExec {
  command: string[];
  user?: string;
  privileged?: boolean;
  workingDir?: string;
  env: Record<string, string>;
}

/** One `develop.watch` entry of a service, checked and typed. */
export interface WatchRule {
  service: string;
  /** Position in the service's `develop.watch` list, for messages. */
  index: number;
  /** Absolute host path (a folder or a file). */
  path: string;
  action: WatchAction;
  /** Absolute path in the container; set for every action that syncs. */
  target?: string;
  ignore: string[];
  include: string[];
  initialSync: boolean;
  exec?: WatchExec;
}

/**
 * The bind mount that already shows a sync rule's path to the container, if any. Such a rule is not
 * watched (as in compose): the container sees the host's files already, and copying into the mount would
 * write the host's files and wake the watcher again.
 */
export function bindMountOver(project: Project, service: ServiceConfig, rule: WatchRule): string | undefined {
  if (!syncs(rule.action)) return undefined;
  for (const volume of service.volumes ?? []) {
    if (volume.type !== "bind" || !volume.source) continue;
    const source = resolve(project.workingDir, volume.source);
    const rel = relative(source, rule.path);
    if (rel === "" || !(rel.startsWith("..") || isAbsolute(rel))) return source;
  }
  return undefined;
}

/** Whether the action copies files into the container. */
export function syncs(action: WatchAction): boolean {
  return action === "sync" || action === "sync+restart" || action === "sync+exec";
}

/**
 * The rules of a service's `develop.watch`. Paths are resolved against the project directory here too
 * (idempotent for the absolute paths the loader gives), so that a project built in code works the same.
 */
export function watchRules(project: Project, service: ServiceConfig): WatchRule[] {
  const watch = (service.develop as { watch?: unknown } | undefined)?.watch;
  if (watch === undefined || watch === null) return [];
  if (!Array.isArray(watch)) throw new WatchRuleError(service.name, 0, "develop.watch must be a list");
  return watch.map((raw, index) => ruleOf(project, service, raw, index));
}

function ruleOf(project: Project, service: ServiceConfig, raw: unknown, index: number): WatchRule {
  const fail = (problem: string) => new WatchRuleError(service.name, index, problem);
  if (typeof raw !== "object" || raw === null) throw fail("each rule must be a mapping with path and action");
  const r = raw as Record<string, unknown>;
  if (typeof r.path !== "string" || r.path === "") throw fail("path is required");
  if (!ACTIONS.includes(r.action as WatchAction)) {
    throw fail(`action must be one of ${ACTIONS.join(", ")} (got ${JSON.stringify(r.action)})`);
  }
  const action = r.action as WatchAction;
  const rule: WatchRule = {
    service: service.name,
    index,
    path: resolve(project.workingDir, r.path),
    action,
    ignore: stringList(r.ignore),
    include: stringList(r.include),
    initialSync: r.initial_sync === true,
  };
  if (syncs(action)) {
    if (typeof r.target !== "string" || r.target === "")
      throw fail(`target is required for action ${action}`);
    rule.target = containerPath(r.target, service.working_dir);
  }
  if (action === "sync+exec") rule.exec = execOf(r.exec, fail);
  if (action === "rebuild" && !service.build) {
    throw fail("action rebuild needs a build: section to build the image from; use sync or restart");
  }
  return rule;
}

/**
 * A relative target is relative to the service's working directory ("/" without one), and the path is
 * cleaned as compose's `path.Join` does (no trailing slash).
 */
function containerPath(target: string, workingDir: string | undefined): string {
  const base = target.startsWith("/") ? "/" : workingDir && isAbsolute(workingDir) ? workingDir : "/";
  const joined = posix.join(base, target);
  return joined.length > 1 ? joined.replace(/\/+$/, "") : joined;
}

function stringList(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

function execOf(raw: unknown, fail: (problem: string) => Error): WatchExec {
  if (typeof raw !== "object" || raw === null) throw fail("exec.command is required for action sync+exec");
  const e = raw as Record<string, unknown>;
  const command =
    typeof e.command === "string"
      ? splitShellWords(e.command)
      : Array.isArray(e.command)
        ? e.command.map(String)
        : undefined;
  if (!command || command.length === 0) throw fail("exec.command is required for action sync+exec");
  return {
    command,
    user: typeof e.user === "string" ? e.user : undefined,
    privileged: e.privileged === true,
    workingDir: typeof e.working_dir === "string" ? e.working_dir : undefined,
    env: environmentOf(e.environment),
  };
}

/** `environment:` as a list (`KEY=value`, `KEY`) or a mapping; a key without a value is left out. */
function environmentOf(raw: unknown): Record<string, string> {
  const env: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const item of raw) {
      const text = String(item);
      const eq = text.indexOf("=");
      if (eq > 0) env[text.slice(0, eq)] = text.slice(eq + 1);
    }
  } else if (typeof raw === "object" && raw !== null) {
    for (const [k, v] of Object.entries(raw)) if (v !== null && v !== undefined) env[k] = String(v);
  }
  return env;
}
