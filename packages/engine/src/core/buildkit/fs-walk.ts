import type { BigIntStats } from "node:fs";
import { lstat, readdir, readlink, realpath } from "node:fs/promises";
import { isAbsolute, join, posix, relative, sep } from "node:path";
import { type IgnorePattern, isExcluded, mayReincludeBelow, parseDockerignore } from "../build-context.js";

/**
 * The walk of a folder that filesync serves, in the order tonistiigi/fsutil's receiver checks (depth first,
 * names compared byte by byte, every folder before what is in it). Symlinks are sent as links, never
 * followed, so nothing outside the folder is read.
 */

export interface WalkFilter {
  /** `.dockerignore` rules: what they exclude is not sent. */
  excludes: readonly IgnorePattern[];
  /** When given, only paths these patterns match (or lie below) are sent (fsutil's include patterns). */
  includes?: readonly string[];
}

export interface WalkEntry {
  /** Path inside the folder, `/`-separated. */
  path: string;
  absolutePath: string;
  stats: BigIntStats;
  /** The link's target, for symlinks. */
  linkname?: string;
}

export async function* walkFolder(root: string, filter: WalkFilter): AsyncGenerator<WalkEntry> {
  const realRoot = await realpath(root);
  const includes = filter.includes?.map(prefixMatcher);
  // Folders that are excluded but may hold re-included paths: sent only once something below them is.
  const pending: WalkEntry[] = [];

  async function* visit(relDir: string, underIncluded: boolean): AsyncGenerator<WalkEntry> {
    const names = (await readdir(join(realRoot, relDir))).sort((a, b) =>
      Buffer.compare(Buffer.from(a), Buffer.from(b)),
    );
    for (let start = 0; start < names.length; start += LSTAT_BATCH) {
      const batch = names.slice(start, start + LSTAT_BATCH);
      const batchStats = await Promise.all(batch.map((name) => lstatIfExists(join(realRoot, relDir, name))));
      for (const [i, name] of batch.entries()) {
        const stats = batchStats[i];
        // Removed while the walk ran: the file is simply not part of this transfer.
        if (stats === undefined) continue;
        yield* visitEntry(relDir, name, stats, underIncluded);
      }
    }
  }

  async function* visitEntry(
    relDir: string,
    name: string,
    stats: BigIntStats,
    underIncluded: boolean,
  ): AsyncGenerator<WalkEntry> {
    const path = relDir === "" ? name : `${relDir}/${name}`;
    const absolutePath = join(realRoot, path);
    if (stats.isSocket()) return;
    const isDir = stats.isDirectory();
    let fullyIncluded = underIncluded;
    if (includes && !underIncluded) {
      const match = matchIncludes(includes, path);
      if (match === "none") return;
      fullyIncluded = match === "full";
    }
    const entry: WalkEntry = { path, absolutePath, stats };
    if (stats.isSymbolicLink()) entry.linkname = await readlink(absolutePath);
    if (isExcluded(path, filter.excludes)) {
      if (!isDir || !mayReincludeBelow(path, filter.excludes)) return;
      pending.push(entry);
      yield* visit(path, fullyIncluded);
      if (pending.at(-1) === entry) pending.pop();
      return;
    }
    yield* pending.splice(0);
    yield entry;
    if (isDir) yield* visit(path, fullyIncluded);
  }

  yield* visit("", false);
}

/** Entries of a folder stat'ed at once: the walk waits on the disk once per batch, not once per file. */
const LSTAT_BATCH = 64;

async function lstatIfExists(path: string): Promise<BigIntStats | undefined> {
  try {
    return await lstat(path, { bigint: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

type PrefixMatcher = (path: string) => "none" | "partial" | "full";

/**
 * fsutil's include rule: a pattern with more segments than the path is cut to the path's depth, and a
 * match then only means "walk on" (partial); a full match includes everything below.
 */
function prefixMatcher(pattern: string): PrefixMatcher {
  const segments = posix.normalize(pattern).split("/");
  // The pattern cut to each depth, compiled once.
  const byDepth = new Map<number, RegExp | undefined>();
  return (path) => {
    const depth = path.split("/").length;
    const partial = segments.length > depth;
    if (!byDepth.has(depth)) {
      const cut = partial ? segments.slice(0, depth).join("/") : segments.join("/");
      byDepth.set(depth, parseDockerignore(cut)[0]?.regex);
    }
    if (!byDepth.get(depth)?.test(path)) return "none";
    return partial ? "partial" : "full";
  };
}

function matchIncludes(includes: readonly PrefixMatcher[], path: string): "none" | "partial" | "full" {
  let result: "none" | "partial" | "full" = "none";
  for (const match of includes) {
    const m = match(path);
    if (m === "full") return m;
    if (m === "partial") result = m;
  }
  return result;
}

/**
 * fsutil's follow paths: each path, and where its symlinks lead while they stay inside the folder, becomes
 * an include pattern (the frontend asks for the Dockerfile this way, which may be a link).
 */
export async function followPaths(root: string, paths: readonly string[]): Promise<string[]> {
  const realRoot = await realpath(root);
  const out = new Set<string>();
  for (const start of paths) {
    let path = posix.normalize(start);
    for (let hops = 0; hops < 40 && !out.has(path); hops++) {
      out.add(path);
      let target: string;
      try {
        target = await readlink(join(realRoot, path));
      } catch {
        break; // not a link, or missing
      }
      const absolute = isAbsolute(target) ? target : join(realRoot, posix.dirname(path), target);
      const rel = relative(realRoot, absolute);
      if (rel.startsWith("..") || isAbsolute(rel)) break;
      path = rel.split(sep).join("/");
    }
  }
  return [...out];
}
