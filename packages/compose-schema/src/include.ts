/**
 * Resolves the top-level `include`: each entry is loaded as a project of its own (own project
 * directory, own `.env`) and its resources are copied into the including document. Like compose, a
 * resource defined twice is an error unless both definitions are identical; nothing is merged.
 *
 * Paths of an entry are relative to the including file's directory, as the spec says (compose v2.23
 * resolves them against the project directory, which is the same place unless --project-directory
 * points elsewhere).
 */
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { ComposeError, ErrorCodes } from "./errors.js";
import { isPlainObject } from "./merge.js";
import type { SourceFile } from "./source.js";

type Data = Record<string, unknown>;

export interface IncludeContext {
  /** The file holding `include` (its merged document when several files were given). */
  file: SourceFile;
  projectDir: string;
  /** Files whose `include` led to this one, outermost first, to detect cycles. */
  ancestors?: string[];
  /** Loads a sub-project: its merged canonical document, relative paths resolved against its directory. */
  loadIncluded: (opts: { files: string[]; projectDirectory: string; envFiles: string[] }) => Promise<Data>;
}

const sections = ["services", "networks", "volumes", "secrets", "configs", "models"] as const;
const singular: Record<(typeof sections)[number], string> = {
  services: "service",
  networks: "network",
  volumes: "volume",
  secrets: "secret",
  configs: "config",
  models: "model",
};

export async function resolveInclude(doc: Data, ctx: IncludeContext): Promise<Data> {
  const { include, ...rest } = doc;
  if (!Array.isArray(include)) return rest;
  const baseDir = ctx.file.path === "-" ? ctx.projectDir : dirname(ctx.file.path);
  const show = (path: string) => (isAbsolute(path) ? relative(baseDir, path) || path : path);

  const out: Data = { ...rest };
  // Who defined each resource: the including file, or the files of an include entry.
  const owners = new Map<string, string>();
  for (const section of sections) {
    if (isPlainObject(out[section])) {
      out[section] = { ...out[section] };
      for (const name of Object.keys(out[section] as Data))
        owners.set(`${section}.${name}`, show(ctx.file.path));
    }
  }

  for (const [index, raw] of include.entries()) {
    const entry = parseEntry(raw);
    const at = ctx.file.locate(["include", index]);
    if (!entry) {
      throw new ComposeError(ErrorCodes.include, "include entries are a path or a mapping with a path", {
        location: at,
      });
    }
    const files = entry.paths.map((p) => resolve(baseDir, p));
    const seen = [...(ctx.ancestors ?? []), ctx.file.path];
    const looping = files.find((f) => seen.includes(f));
    if (looping) {
      const chain = [...seen.slice(seen.indexOf(looping)), looping].map(show);
      throw new ComposeError(ErrorCodes.include, `include cycle: ${chain.join(" -> ")}`, { location: at });
    }
    const projectDirectory = entry.projectDirectory
      ? resolve(baseDir, entry.projectDirectory)
      : dirname(files[0]);
    const defaultEnv = join(projectDirectory, ".env");
    const envFiles = entry.envFiles
      ? entry.envFiles.map((f) => resolve(baseDir, f))
      : existsSync(defaultEnv)
        ? [defaultEnv]
        : [];

    const imported = await ctx.loadIncluded({ files, projectDirectory, envFiles });
    const from = files.map(show).join(", ");
    for (const section of sections) {
      const resources = imported[section];
      if (!isPlainObject(resources)) continue;
      const target = (isPlainObject(out[section]) ? out[section] : {}) as Data;
      for (const [name, value] of Object.entries(resources)) {
        const key = `${section}.${name}`;
        if (Object.hasOwn(target, name)) {
          if (isDeepStrictEqual(target[name], value)) continue;
          throw new ComposeError(
            ErrorCodes.include,
            `${key} is defined in ${owners.get(key)} and in ${from}`,
            {
              location: at,
              detail: `Compose does not merge the ${singular[section]}s of included projects: rename one of them.`,
            },
          );
        }
        target[name] = value;
        owners.set(key, from);
      }
      out[section] = target;
    }
  }
  return out;
}

interface Entry {
  paths: string[];
  projectDirectory?: string;
  envFiles?: string[];
}

function parseEntry(raw: unknown): Entry | undefined {
  if (typeof raw === "string") return { paths: [raw] };
  if (!isPlainObject(raw)) return undefined;
  const paths = stringList(raw.path);
  if (!paths || paths.length === 0) return undefined;
  const envFiles = raw.env_file === undefined ? undefined : stringList(raw.env_file);
  return {
    paths,
    projectDirectory: typeof raw.project_directory === "string" ? raw.project_directory : undefined,
    envFiles,
  };
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value;
  return undefined;
}
