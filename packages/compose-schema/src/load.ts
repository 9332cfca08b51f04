import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { canonicalizeDocument } from "./canonical/index.js";
import { resolveEnvironment } from "./environment.js";
import { ComposeError, ComposeErrors, ErrorCodes } from "./errors.js";
import { resolveExtends } from "./extends.js";
import { findComposeFiles } from "./find-files.js";
import { resolveInclude } from "./include.js";
import { interpolateFile } from "./interpolate.js";
import { mergeDocuments } from "./merge.js";
import { normalizeProject } from "./normalize/index.js";
import { resolveDocumentPaths } from "./normalize/paths.js";
import { parseComposeFile } from "./parse.js";
import { activeProfiles, applyProfiles } from "./profiles.js";
import { resolveProjectName } from "./project-name.js";
import { Locator, type SourceFile } from "./source.js";
import type { Project } from "./types.js";
import { validateComposeFile } from "./validate.js";

export interface LoadOptions {
  cwd?: string;
  /** `-f` files; "-" reads `stdin`. Without them, compose.yaml (and its override) is searched upwards. */
  files?: string[];
  stdin?: string;
  projectDirectory?: string;
  projectName?: string;
  /** `--env-file` files (default: the project directory's `.env`). */
  envFiles?: string[];
  env?: Record<string, string | undefined>;
  profiles?: string[];
  /** Services named on the command line: they are enabled whatever their profiles. */
  services?: string[];
  interpolate?: boolean;
  onWarning?: (message: string) => void;
}

type Doc = Record<string, unknown>;

/** Turns compose files into a normalized `Project`, or throws one `ComposeErrors` with every fault found. */
export async function loadProject(opts: LoadOptions = {}): Promise<Project> {
  const cwd = opts.cwd ?? process.cwd();
  const processEnv = opts.env ?? process.env;
  const warn = opts.onWarning ?? (() => {});
  const { files, projectDir } = findComposeFiles({
    files: opts.files,
    cwd,
    projectDirectory: opts.projectDirectory,
    env: processEnv,
  });
  const { vars } = resolveEnvironment({
    projectDir,
    envFiles: opts.envFiles?.map((f) => path.resolve(cwd, f)),
    processEnv,
  });
  const locator = new Locator();
  const ctx: PipelineContext = {
    vars,
    processEnv,
    home: processEnv.HOME ?? homedir(),
    interpolate: opts.interpolate !== false,
    warn,
    locator,
  };

  const doc = await loadDocuments(files, projectDir, ctx, opts.stdin, []);

  const name = resolveProjectName({
    explicit: opts.projectName,
    env: vars,
    topLevelName: typeof doc.name === "string" ? doc.name : undefined,
    projectDir,
  });
  const profiles = activeProfiles(opts.profiles ?? [], vars);
  const services = (doc.services ?? {}) as Record<string, Doc>;
  const { enabled, disabled } = applyProfiles(services, { profiles, requested: opts.services });

  return normalizeProject(
    { ...doc, services: pick(services, enabled) },
    {
      name,
      workingDir: projectDir,
      configFiles: files.map((f) => (f === "-" ? "-" : path.resolve(cwd, f))),
      profiles,
      environment: vars,
      disabledServices: pick(services, disabled),
      locator,
      readEnvFile: (file) => readFileSync(file, "utf8"),
      requested: opts.services,
    },
  );
}

interface PipelineContext {
  vars: Record<string, string>;
  processEnv: Record<string, string | undefined>;
  /** Where `~` in paths points: HOME of the given environment, as compose reads it. */
  home: string;
  interpolate: boolean;
  warn: (message: string) => void;
  locator: Locator;
}

interface LoadedFile {
  doc: Doc;
  file: SourceFile;
}

/**
 * Parses, interpolates, validates and canonicalizes each file, then merges them and resolves
 * `extends` and `include`. All files are checked before anything is thrown, so the user sees
 * every fault at once. The result's relative paths are resolved against `projectDir`.
 */
async function loadDocuments(
  files: string[],
  projectDir: string,
  ctx: PipelineContext,
  stdin: string | undefined,
  includeChain: string[],
): Promise<Doc> {
  const loaded: LoadedFile[] = [];
  const errors: ComposeError[] = [];
  for (const f of files) {
    const absolute = f === "-" ? "-" : path.resolve(projectDir, f);
    try {
      const content = f === "-" ? (stdin ?? "") : await readComposeFile(absolute);
      const result = prepareFile(absolute, content, ctx);
      errors.push(...result.errors);
      if (result.loaded) loaded.push(result.loaded);
    } catch (err) {
      errors.push(...asComposeErrors(err));
    }
  }
  if (errors.length > 0) throw new ComposeErrors(errors);

  let doc: Doc = {};
  for (const l of loaded) doc = mergeDocuments(doc, l.doc) as Doc;

  const cache = new Map<string, LoadedFile>(loaded.map((l) => [l.file.path, l]));
  const mainFile = loaded[0]?.file;
  if (mainFile) {
    doc = await resolveExtends(doc, {
      file: mainFile,
      loadFile: (absPath: string) => loadExtendedFile(absPath, ctx, cache),
      locator: ctx.locator,
      workingDir: projectDir,
    });
    doc = await resolveInclude(doc, {
      file: mainFile,
      projectDir,
      ancestors: includeChain,
      loadIncluded: async (inc) => {
        const { vars } = resolveEnvironment({
          projectDir: inc.projectDirectory,
          envFiles: inc.envFiles,
          processEnv: ctx.processEnv,
        });
        return loadDocuments(inc.files, inc.projectDirectory, { ...ctx, vars }, undefined, [
          ...includeChain,
          mainFile.path,
        ]);
      },
    });
  }
  return resolveDocumentPaths(doc, projectDir, ctx.home);
}

function prepareFile(
  absolute: string,
  content: string,
  ctx: PipelineContext,
): { loaded?: LoadedFile; errors: ComposeError[] } {
  const file = parseComposeFile(absolute, content);
  ctx.locator.addFile(file);
  let data: unknown = file.data ?? {};
  if (ctx.interpolate) {
    const interpolated = interpolateFile(file, data, ctx.vars);
    for (const w of interpolated.warnings) ctx.warn(w);
    if (interpolated.errors.length > 0) return { errors: interpolated.errors };
    data = interpolated.data;
  }
  const validation = validateComposeFile(file, data);
  for (const w of validation.warnings) ctx.warn(w);
  if (validation.errors.length > 0) return { errors: validation.errors };
  const canonical = canonicalizeDocument(data as Doc, (p, which) => file.locate(p, which));
  if (canonical.errors.length > 0) return { errors: canonical.errors };
  return { loaded: { doc: canonical.doc, file }, errors: [] };
}

async function loadExtendedFile(
  absPath: string,
  ctx: PipelineContext,
  cache: Map<string, LoadedFile>,
): Promise<LoadedFile> {
  const hit = cache.get(absPath);
  if (hit) return hit;
  const content = await readComposeFile(absPath);
  const result = prepareFile(absPath, content, ctx);
  if (!result.loaded) throw new ComposeErrors(result.errors);
  cache.set(absPath, result.loaded);
  return result.loaded;
}

async function readComposeFile(absolute: string): Promise<string> {
  try {
    return await readFile(absolute, "utf8");
  } catch (err) {
    throw new ComposeError(
      ErrorCodes.fileNotFound,
      `cannot read compose file ${absolute}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

function pick(services: Record<string, Doc>, names: string[]): Record<string, Doc> {
  return Object.fromEntries(names.map((n) => [n, services[n] as Doc]));
}

function asComposeErrors(err: unknown): ComposeError[] {
  if (err instanceof ComposeErrors) return [...err.errors];
  if (err instanceof ComposeError) return [err];
  throw err;
}
