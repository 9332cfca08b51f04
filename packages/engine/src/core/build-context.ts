import { isAbsolute, relative, resolve, sep } from "node:path";
import type { BuildConfig } from "@berth/compose-schema";

/**
 * `.dockerignore` semantics, as the docker CLI applies them when it sends a build context: one pattern a
 * line, `#` comments, `!` re-includes, a leading `/` is the context root, `*`/`?`/`[...]` stay within one
 * path segment and `**` spans any number of them. The last pattern that matches a path decides; a pattern
 * that matches a directory excludes everything below it.
 */

export interface IgnorePattern {
  /** The pattern as cleaned (no leading `/` or `./`, no trailing `/`). */
  pattern: string;
  /** `!pattern`: re-includes what earlier patterns excluded. */
  exception: boolean;
  regex: RegExp;
}

export function parseDockerignore(text: string): IgnorePattern[] {
  const patterns: IgnorePattern[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    let exception = false;
    if (line.startsWith("!")) {
      exception = true;
      line = line.slice(1).trim();
    }
    const pattern = cleanPath(line);
    if (pattern === "") continue;
    patterns.push({ pattern, exception, regex: patternToRegex(pattern) });
  }
  return patterns;
}

/**
 * The patterns the build actually uses: the Dockerfile and `.dockerignore` are always sent, whatever the
 * file says, because the builder needs the one and the CLI reads the other.
 */
export function buildIgnorePatterns(dockerignore: string | undefined, dockerfile: string): IgnorePattern[] {
  const patterns = dockerignore === undefined ? [] : parseDockerignore(dockerignore);
  if (patterns.length === 0) return patterns;
  return [...patterns, ...parseDockerignore(`!${dockerfile}\n!.dockerignore`)];
}

/** Whether `relPath` (relative to the context, `/`-separated) is left out of the context. */
export function isExcluded(relPath: string, patterns: readonly IgnorePattern[]): boolean {
  const path = cleanPath(relPath);
  const candidates = selfAndParents(path);
  let excluded = false;
  for (const p of patterns) {
    if (candidates.some((c) => p.regex.test(c))) excluded = !p.exception;
  }
  return excluded;
}

/**
 * Whether an excluded directory must still be walked because an exception pattern might re-include
 * something below it. Errs on the side of walking: a pattern with a wildcard before the directory's depth
 * counts as "might".
 */
export function mayReincludeBelow(dirPath: string, patterns: readonly IgnorePattern[]): boolean {
  const dirSegments = cleanPath(dirPath).split("/");
  return patterns.some((p) => {
    if (!p.exception) return false;
    const segments = p.pattern.split("/");
    for (let i = 0; i < dirSegments.length; i++) {
      const seg = segments[i];
      if (seg === undefined) return false;
      if (/[*?[\\]/.test(seg)) return true;
      if (seg !== dirSegments[i]) return false;
    }
    return segments.length > dirSegments.length;
  });
}

function cleanPath(path: string): string {
  const out: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return out.join("/");
}

function selfAndParents(path: string): string[] {
  const segments = path.split("/");
  return segments.map((_, i) => segments.slice(0, i + 1).join("/"));
}

function patternToRegex(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "*") {
      if (pattern[i + 1] === "*") {
        i++;
        if (pattern[i + 1] === "/") {
          // `**/` also matches no directory at all: `**/x` matches `x`.
          i++;
          re += "(?:.*/)?";
        } else {
          re += ".*";
        }
      } else {
        re += "[^/]*";
      }
    } else if (ch === "?") {
      re += "[^/]";
    } else if (ch === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end === -1) {
        re += "\\[";
      } else {
        let cls = pattern.slice(i + 1, end);
        if (cls.startsWith("!") || cls.startsWith("^")) cls = `^${cls.slice(1)}`;
        re += `[${cls.replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (ch === "\\" && i + 1 < pattern.length) {
      i++;
      re += escapeRegex(pattern[i]);
    } else {
      re += escapeRegex(ch);
    }
  }
  return new RegExp(`^${re}$`);
}

function escapeRegex(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** The Dockerfile's path inside the context tar, and its text when it is not a file of the context. */
export interface DockerfileSource {
  pathInContext: string;
  /** Text to add to the tar under `pathInContext` (`dockerfile_inline`, or a Dockerfile outside the context). */
  inline?: string;
  /** Absolute path of a Dockerfile outside the context, to be read and added as `inline`. */
  outsidePath?: string;
}

/** Inline and outside Dockerfiles are added under this name, as the docker CLI does with a random one. */
export const INLINE_DOCKERFILE = ".berth-inline.Dockerfile";

export function dockerfileSource(build: BuildConfig): DockerfileSource {
  if (build.dockerfile_inline !== undefined) {
    return { pathInContext: INLINE_DOCKERFILE, inline: build.dockerfile_inline };
  }
  const file = build.dockerfile ?? "Dockerfile";
  const rel = isAbsolute(file) ? relative(build.context, file) : file;
  if (rel.startsWith("..") || isAbsolute(rel)) {
    return { pathInContext: INLINE_DOCKERFILE, outsidePath: resolve(build.context, file) };
  }
  return { pathInContext: rel.split(sep).join("/") };
}
