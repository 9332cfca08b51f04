import { basename, resolve } from "node:path";
import { ComposeError, ErrorCodes } from "./errors.js";
import type { SourceFile } from "./source.js";

const VALID = /^[a-z0-9][a-z0-9_-]*$/;

/** Lowercases `s` and drops what a project name cannot hold, as compose does with a directory's name. */
export function normalizeProjectName(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "")
    .replace(/^[_-]+/, "");
}

/**
 * The project name: `-p`, else `COMPOSE_PROJECT_NAME`, else the top-level `name:` (already interpolated),
 * else the project directory's base name made valid. A name the user chose must already be valid.
 */
export function resolveProjectName(opts: {
  explicit?: string;
  env: Record<string, string | undefined>;
  topLevelName?: string;
  projectDir: string;
}): string {
  const chosen: [string | undefined, string][] = [
    [opts.explicit, "-p"],
    [opts.env.COMPOSE_PROJECT_NAME, "COMPOSE_PROJECT_NAME"],
    [opts.topLevelName, "the top-level name:"],
  ];
  for (const [name, from] of chosen) {
    if (name === undefined || name === "") continue;
    if (!VALID.test(name)) {
      throw new ComposeError(
        ErrorCodes.projectName,
        `invalid project name ${JSON.stringify(name)} (from ${from}): use only lowercase letters, digits, dashes ` +
          "and underscores, starting with a letter or digit",
      );
    }
    return name;
  }
  const dir = basename(resolve(opts.projectDir));
  const derived = normalizeProjectName(dir);
  if (derived === "") {
    throw new ComposeError(
      ErrorCodes.projectName,
      `cannot derive a project name from the directory name ${JSON.stringify(dir)}: name the project with -p, ` +
        "COMPOSE_PROJECT_NAME or a top-level name:",
    );
  }
  return derived;
}

/**
 * The top-level `name:` of the main files, given each file's parsed documents (the last file that has one
 * wins), as `interpolate` makes it. Like compose, only the first document of a file counts. A name whose
 * interpolation fails is skipped here: the full load reports that fault where it was written.
 */
export function topLevelName(
  files: readonly (readonly SourceFile[])[],
  interpolate: (raw: string) => string,
): string | undefined {
  let name: string | undefined;
  for (const documents of files) {
    const data = documents[0]?.data as { name?: unknown } | undefined;
    if (typeof data?.name !== "string") continue;
    try {
      name = interpolate(data.name);
    } catch (err) {
      if (!(err instanceof ComposeError)) throw err;
    }
  }
  return name;
}
