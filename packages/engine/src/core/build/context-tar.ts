import { lstatSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import type { BuildConfig } from "@berth/compose-schema";
import { buildIgnorePatterns, dockerfileSource, isExcluded, mayReincludeBelow } from "../build-context.js";

/** A service's Dockerfile: its text (for the checks before the build) and where the build finds it. */
export interface DockerfileInfo {
  /** The Dockerfile's path inside the context tar. */
  pathInContext: string;
  text: string;
  /** Text the tar must carry under `pathInContext` (inline or outside Dockerfiles). */
  added?: string;
  /** The file it was read from, for messages and `<Dockerfile>.dockerignore`. */
  file?: string;
}

async function readOptional(path: string): Promise<string | undefined> {
  return readFile(path, "utf8").catch((err) => {
    if (err.code === "ENOENT") return undefined;
    throw err;
  });
}

export async function readDockerfile(config: BuildConfig): Promise<DockerfileInfo> {
  const source = dockerfileSource(config);
  if (source.inline !== undefined)
    return { pathInContext: source.pathInContext, text: source.inline, added: source.inline };
  const file = source.outsidePath ?? `${config.context}/${source.pathInContext}`;
  const text = await readFile(file, "utf8");
  return { pathInContext: source.pathInContext, text, added: source.outsidePath ? text : undefined, file };
}

/**
 * The build context as a tar stream (streamed from disk, never held), without what the ignore file
 * excludes, with an inline or outside Dockerfile added. `<Dockerfile>.dockerignore` beside the Dockerfile
 * wins over the context's `.dockerignore`, as with BuildKit.
 */
export async function contextTar(
  config: BuildConfig,
  dockerfile: DockerfileInfo,
): Promise<NodeJS.ReadableStream> {
  const ownIgnore = dockerfile.file ? await readOptional(`${dockerfile.file}.dockerignore`) : undefined;
  const ignoreText = ownIgnore ?? (await readOptional(`${config.context}/.dockerignore`));
  const patterns = buildIgnorePatterns(ignoreText, dockerfile.pathInContext);
  // Checked here: an error of the tar stream itself would surface only as a broken request.
  if (!isDirectory(config.context)) throw new Error(`build context ${config.context} is not a directory`);
  const added = dockerfile.added;
  // Loaded on first use: a command that builds nothing does not pay for tar-fs at start-up.
  const { pack } = await import("tar-fs");
  return pack(config.context, {
    ignore: (name) => {
      const rel = relative(config.context, name);
      if (!isExcluded(rel, patterns)) return false;
      return !(mayReincludeBelow(rel, patterns) && isDirectory(name));
    },
    finalize: added === undefined,
    finish: (p) => {
      if (added === undefined) return;
      p.entry({ name: dockerfile.pathInContext, mode: 0o644 }, added);
      p.finalize();
    },
  });
}

/** False also for what vanished while the context is packed. */
function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}
