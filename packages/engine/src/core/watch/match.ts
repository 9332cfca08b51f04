import { relative, sep } from "node:path";
import { type IgnorePattern, isExcluded, mayReincludeBelow, parseDockerignore } from "../build-context.js";
import type { WatchRule } from "./rules.js";

/**
 * Files that editors and version control write beside the real ones: never synced, never a reason to
 * rebuild (vim's swap files and its `4913` write test, emacs' lock and auto-save files, backups).
 */
const VCS_DIRS = new Set([".git", ".hg", ".svn", ".bzr"]);
const EDITOR_FILES = parseDockerignore(
  [
    "**/*.swp",
    "**/*.swx",
    "**/*.swo",
    "**/*~",
    "**/4913",
    "**/.#*",
    "**/#*#",
    "**/.DS_Store",
    "**/*___jb_tmp___",
    "**/*___jb_old___",
  ].join("\n"),
);

/** A rule with its patterns parsed once, ready to match changed paths. */
export interface RuleMatcher {
  rule: WatchRule;
  ignore: IgnorePattern[];
  include: IgnorePattern[];
  /** The build context's `.dockerignore`, when the rule's path is inside the context. */
  context?: { dir: string; patterns: IgnorePattern[] };
}

export function ruleMatcher(rule: WatchRule, context?: { dir: string; dockerignore: string }): RuleMatcher {
  const inContext = context && within(context.dir, rule.path) !== undefined;
  return {
    rule,
    ignore: parseDockerignore(rule.ignore.join("\n")),
    include: parseDockerignore(rule.include.join("\n")),
    context: inContext ? { dir: context.dir, patterns: parseDockerignore(context.dockerignore) } : undefined,
  };
}

/**
 * `path` relative to `dir` with `/` separators ("" for `dir` itself), or undefined when it is not
 * inside `dir`.
 */
export function within(dir: string, path: string): string | undefined {
  const rel = relative(dir, path);
  if (rel === "") return "";
  if (rel.startsWith("..") || rel.startsWith(sep) || /^[a-zA-Z]:/.test(rel)) return undefined;
  return rel.split(sep).join("/");
}

/**
 * The path of a changed file relative to the rule's path when the rule acts on it: inside the rule's
 * path, not an editor or VCS file, not ignored (by the rule or the build context's `.dockerignore`) and,
 * when the rule has `include` patterns, matched by one.
 */
export function matchPath(m: RuleMatcher, path: string): string | undefined {
  const rel = within(m.rule.path, path);
  if (rel === undefined) return undefined;
  // A rule on a single file: the file's own name is what the patterns see.
  const subject = rel === "" ? (path.split(sep).at(-1) ?? "") : rel;
  if (isNoise(subject)) return undefined;
  if (m.ignore.length > 0 && isExcluded(subject, m.ignore)) return undefined;
  if (m.include.length > 0 && !isExcluded(subject, m.include)) return undefined;
  if (m.context) {
    const inContext = within(m.context.dir, path);
    if (inContext && isExcluded(inContext, m.context.patterns)) return undefined;
  }
  return rel;
}

/** Editor and VCS files, by a path relative to a rule (`/`-separated). */
export function isNoise(rel: string): boolean {
  if (rel.split("/").some((segment) => VCS_DIRS.has(segment))) return true;
  return isExcluded(rel, EDITOR_FILES);
}

/**
 * Whether the watcher can skip a whole folder: no rule could act on anything inside it. Saves inotify
 * watches on `node_modules/`, `.git/` and the like.
 */
export function skippableDir(matchers: readonly RuleMatcher[], dir: string): boolean {
  return matchers.every((m) => {
    const rel = within(m.rule.path, dir);
    if (rel === undefined) return within(dir, m.rule.path) === undefined;
    if (rel === "") return false;
    if (rel.split("/").some((segment) => VCS_DIRS.has(segment))) return true;
    if (m.ignore.length > 0 && isExcluded(rel, m.ignore) && !mayReincludeBelow(rel, m.ignore)) return true;
    if (m.context) {
      const inContext = within(m.context.dir, dir);
      if (
        inContext &&
        isExcluded(inContext, m.context.patterns) &&
        !mayReincludeBelow(inContext, m.context.patterns)
      )
        return true;
    }
    return false;
  });
}
