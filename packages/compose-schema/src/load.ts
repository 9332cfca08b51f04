import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { canonicalizeDocument } from "./canonical/index.js";
import { discoverProject } from "./discover.js";
import { EntryLocator } from "./entry-locator.js";
import { resolveEnvironment } from "./environment.js";
import { ComposeError, ComposeErrors, ErrorCodes } from "./errors.js";
import { resolveExtends } from "./extends.js";
import { resolveInclude } from "./include.js";
import { interpolateFile, interpolateString } from "./interpolate.js";
import { mergeDocuments } from "./merge.js";
import { normalizeProject } from "./normalize/index.js";
import { resolveDocumentPaths } from "./normalize/paths.js";
import { parseComposeDocuments, parseComposeFile } from "./parse.js";
import { activeProfiles, applyProfiles } from "./profiles.js";
import { resolveProjectName, topLevelName } from "./project-name.js";
import { settleNumbers } from "./settle-numbers.js";
import { type Locator, type SourceFile, hasPath } from "./source.js";
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
  try {
    return await load(opts);
  } catch (err) {
    // Stages that stop at their first fault throw it alone; callers get one shape either way.
    if (err instanceof ComposeError) throw new ComposeErrors([err]);
    throw err;
  }
}

async function load(opts: LoadOptions): Promise<Project> {
  const cwd = opts.cwd ?? process.cwd();
  const processEnv = opts.env ?? process.env;
  const warn = opts.onWarning ?? (() => {});
  const { files, projectDir, vars, env } = discoverProject({
    files: opts.files,
    cwd,
    projectDirectory: opts.projectDirectory,
    envFiles: opts.envFiles?.map((f) => path.resolve(cwd, f)),
    processEnv,
  });
  // Each main file is read and parsed once; the name is a phase over those documents. Compose decides
  // the name first and offers it to interpolation as COMPOSE_PROJECT_NAME. An invalid name is reported
  // after the files are checked, so that a bad `name:` gets the schema's located error.
  const parsed = parseFiles(files, cwd, opts.stdin);
  const interpolateName = (raw: string) => (opts.interpolate === false ? raw : interpolateString(raw, vars));
  const topLevel = topLevelName(
    parsed.flatMap((f) => (f.documents ? [f.documents] : [])),
    interpolateName,
  );
  let name: string | undefined;
  let nameError: unknown;
  try {
    name = resolveProjectName({ explicit: opts.projectName, env: vars, topLevelName: topLevel, projectDir });
  } catch (err) {
    nameError = err;
  }
  const projectVars = name === undefined ? vars : { ...vars, COMPOSE_PROJECT_NAME: name };
  const locator = new EntryLocator();
  const ctx: PipelineContext = {
    vars: projectVars,
    processEnv,
    home: processEnv.HOME ?? homedir(),
    interpolate: opts.interpolate !== false,
    warn,
    locator,
  };

  const { doc } = await loadDocuments(parsed, projectDir, ctx, []);
  if (name === undefined) throw nameError;

  const profiles = activeProfiles(opts.profiles ?? [], env);
  const services = (doc.services ?? {}) as Record<string, Doc>;
  const { enabled, disabled } = applyProfiles(services, { profiles, requested: opts.services });

  return normalizeProject(
    { ...doc, services: pick(services, enabled) },
    {
      name,
      workingDir: projectDir,
      configFiles: files.map((f) => (f === "-" ? "-" : path.resolve(cwd, f))),
      profiles,
      environment: projectVars,
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
  locator: EntryLocator;
}

/** A file's documents as parsing returned them, or the faults reading or parsing it found. */
interface ParsedFile {
  documents?: SourceFile[];
  errors: ComposeError[];
}

/** Reads and parses each file once ("-" is `stdin`); the phases after this one work on its documents. */
function parseFiles(files: string[], dir: string, stdin: string | undefined): ParsedFile[] {
  return files.map((f) => {
    const absolute = f === "-" ? "-" : path.resolve(dir, f);
    try {
      const content = f === "-" ? (stdin ?? "") : readComposeFile(absolute);
      return { documents: parseComposeDocuments(absolute, content), errors: [] };
    } catch (err) {
      return { errors: asComposeErrors(err) };
    }
  });
}

interface LoadedFile {
  doc: Doc;
  file: SourceFile;
}

/**
 * Parses, interpolates, validates and canonicalizes each document of each file (a `---` stream counts
 * as that many files, as in compose), resolves each one's `extends` before merging them, so that the
 * `!reset` and `!override` of an extending service act on what it inherits, then resolves `include`.
 * All files are checked before anything is thrown, so the user sees every fault at once. The result's
 * relative paths are resolved against `projectDir`.
 * The files of the main project are registered with the locator; those of an included project and
 * of `extends` bases are reached through aliases, so that a value the main files wrote is never
 * located in a base file that happens to use the same service name.
 */
async function loadDocuments(
  files: ParsedFile[],
  projectDir: string,
  ctx: PipelineContext,
  includeChain: string[],
): Promise<{ doc: Doc; files: SourceFile[] }> {
  const loaded: LoadedFile[] = [];
  const errors: ComposeError[] = [];
  for (const file of files) {
    errors.push(...file.errors);
    for (const document of file.documents ?? []) {
      const result = prepareDocument(document, ctx);
      errors.push(...result.errors);
      if (result.loaded) loaded.push(result.loaded);
    }
  }
  if (errors.length > 0) throw new ComposeErrors(errors);
  if (includeChain.length === 0) for (const l of loaded) ctx.locator.addFile(l.file);

  // `extends.file` reads a file's first document only, as compose does.
  const cache = new Map<string, LoadedFile>();
  for (const l of loaded) if (!cache.has(l.file.path)) cache.set(l.file.path, l);
  let doc: Doc = {};
  for (const l of loaded) {
    const resolved = await resolveExtends(l.doc, {
      file: l.file,
      loadFile: (absPath: string) => loadExtendedFile(absPath, ctx, cache),
      locator: ctx.locator,
      workingDir: projectDir,
    });
    doc = mergeDocuments(doc, resolved);
  }

  const mainFile = loaded[0]?.file;
  if (mainFile) {
    const include = doc.include;
    doc = await resolveInclude(doc, {
      file: mainFile,
      projectDir,
      ancestors: includeChain,
      loadIncluded: async (inc) => {
        const { vars: own } = resolveEnvironment({
          projectDir: inc.projectDirectory,
          envFiles: inc.envFiles,
          processEnv: ctx.processEnv,
        });
        const vars = { ...own, COMPOSE_PROJECT_NAME: ctx.vars.COMPOSE_PROJECT_NAME ?? "" };
        const chain = [...includeChain, mainFile.path];
        try {
          const included = await loadDocuments(
            parseFiles(inc.files, inc.projectDirectory, undefined),
            inc.projectDirectory,
            { ...ctx, vars },
            chain,
          );
          aliasResources(ctx.locator, included);
          return included.doc;
        } catch (err) {
          if (!(err instanceof ComposeErrors)) throw err;
          // A missing included file is reported at the include entry that names it.
          const baseDir = mainFile.path === "-" ? projectDir : path.dirname(mainFile.path);
          const at = mainFile.locate(["include", includeEntryIndex(include, baseDir, inc.files)]);
          throw new ComposeErrors(
            err.errors.map((e) =>
              e.code === ErrorCodes.fileNotFound && !e.location
                ? new ComposeError(e.code, e.message, { location: at, cause: e.cause })
                : e,
            ),
          );
        }
      },
    });
  }
  return { doc: resolveDocumentPaths(doc, projectDir, ctx.home), files: loaded.map((l) => l.file) };
}

/** Makes the resources of an included project locatable in the file that defined each of them. */
function aliasResources(locator: Locator, included: { doc: Doc; files: SourceFile[] }): void {
  for (const section of ["services", "networks", "volumes", "secrets", "configs", "models"]) {
    const entries = included.doc[section];
    if (typeof entries !== "object" || entries === null) continue;
    for (const name of Object.keys(entries)) {
      const file = [...included.files].reverse().find((f) => hasPath(f.data, [section, name]));
      if (file) locator.alias([section, name], file, [section, name]);
    }
  }
}

function prepareDocument(
  file: SourceFile,
  ctx: PipelineContext,
): { loaded?: LoadedFile; errors: ComposeError[] } {
  let data: unknown = file.data;
  if (ctx.interpolate) {
    const interpolated = interpolateFile(file, data, ctx.vars);
    for (const w of interpolated.warnings) ctx.warn(w);
    if (interpolated.errors.length > 0) return { errors: interpolated.errors };
    data = interpolated.data;
  }
  // Numbers become compose's text where it wants a string, before anything reads them as numbers.
  const settled = settleNumbers(data, (p, which) => file.locate(p, which));
  if (settled.errors.length > 0) return { errors: settled.errors };
  data = settled.data;
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
  const content = readComposeFile(absPath);
  const result = prepareDocument(parseComposeFile(absPath, content), ctx);
  if (!result.loaded) throw new ComposeErrors(result.errors);
  cache.set(absPath, result.loaded);
  return result.loaded;
}

/**
 * The raw bytes: parsing checks that they are UTF-8 and locates the first byte that is not. Read at
 * once: a compose file is small, and an asynchronous read leaves a file handle closing after the work.
 */
function readComposeFile(absolute: string): Uint8Array {
  try {
    return readFileSync(absolute);
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

/** The position of the `include` entry whose paths are `files` (resolved against `baseDir`), or -1. */
function includeEntryIndex(include: unknown, baseDir: string, files: string[]): number {
  if (!Array.isArray(include)) return -1;
  return include.findIndex((entry) => {
    const raw = typeof entry === "string" ? entry : (entry as { path?: unknown } | null)?.path;
    const paths = typeof raw === "string" ? [raw] : Array.isArray(raw) ? raw : [];
    return paths.some((p) => typeof p === "string" && files.includes(path.resolve(baseDir, p)));
  });
}

function pick(services: Record<string, Doc>, names: string[]): Record<string, Doc> {
  return Object.fromEntries(names.map((n) => [n, services[n] as Doc]));
}

function asComposeErrors(err: unknown): ComposeError[] {
  if (err instanceof ComposeErrors) return [...err.errors];
  if (err instanceof ComposeError) return [err];
  throw err;
}
