/**
 * Resolves `extends` in one canonical document, before it is merged with the other files (as compose
 * does): each extending service is merged (with the merge rules, so its `!reset` and `!override` act on
 * what it inherits) onto its base service, which may itself extend another, in the same document or in
 * another file.
 */
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { ComposeError, ErrorCodes } from "./errors.js";
import { isPlainObject, mergeService } from "./merge.js";
import { mapServicePaths } from "./normalize/paths.js";
import type { DocPath, Locator, SourceFile } from "./source.js";
import { OverrideTag, ResetTag } from "./tags.js";

type Data = Record<string, unknown>;

export interface LoadedFile {
  doc: Data;
  file: SourceFile;
}

export interface ExtendsContext {
  /** The file holding `doc`; `extends.file` is relative to its directory. */
  file: SourceFile;
  /** Loads another compose file: its canonical, interpolated document (synchronously or not). */
  loadFile: (absPath: string) => LoadedFile | Promise<LoadedFile>;
  locator: Locator;
  /** Where the relative paths of `doc` are resolved from (the project directory). */
  workingDir: string;
}

/** One compose file taking part in an extends chain. */
interface Scope {
  doc: Data;
  file: SourceFile;
  /** Directory the relative paths of this file's services are relative to. */
  home: string;
}

/** A service and where each of its ancestors was written, nearest first. */
interface Resolved {
  service: Data;
  lineage: { file: SourceFile; name: string }[];
}

export async function resolveExtends(doc: Data, ctx: ExtendsContext): Promise<Data> {
  const services = doc.services;
  if (!isPlainObject(services)) return doc;
  const main: Scope = {
    doc,
    file: ctx.file,
    home: ctx.workingDir,
  };
  const scopes = new Map<string, Scope>();
  const loadScope = async (path: string): Promise<Scope> => {
    let scope = scopes.get(path);
    if (!scope) {
      const loaded = await ctx.loadFile(path);
      scope = {
        doc: loaded.doc,
        file: loaded.file,
        home: dirname(path),
      };
      scopes.set(path, scope);
    }
    return scope;
  };

  const out: Data = {};
  for (const [name, service] of Object.entries(services)) {
    if (!isPlainObject(service) || service.extends === undefined) {
      out[name] = service;
      continue;
    }
    const resolved = await resolveService(main, name, [], loadScope);
    out[name] = keepMergeTags(resolved.service, service);
    // Farthest first: the locator tries the aliases registered last first, and the nearest ancestor wins.
    for (const base of [...resolved.lineage].reverse()) {
      ctx.locator.alias(["services", name], base.file, ["services", base.name]);
    }
  }
  return { ...doc, services: out };
}

async function resolveService(
  scope: Scope,
  name: string,
  chain: { path: string; name: string }[],
  loadScope: (path: string) => Promise<Scope>,
): Promise<Resolved> {
  // A service written with no body (`base:`) is an empty one.
  const service = ((scope.doc.services as Data)[name] ?? {}) as Data;
  const ext = typeof service.extends === "string" ? { service: service.extends } : service.extends;
  if (ext === undefined) return { service, lineage: [] };
  const { extends: _, ...own } = service;
  const link = { path: scope.file.path, name };
  const here: DocPath = ["services", name, "extends"];
  if (!isPlainObject(ext) || typeof ext.service !== "string") {
    throw new ComposeError(ErrorCodes.extends, `services.${name}.extends must name a service`, {
      location: scope.file.locate(here, "value"),
    });
  }

  let baseScope = scope;
  if (typeof ext.file === "string") {
    const baseDir = scope.file.path === "-" ? scope.home : dirname(scope.file.path);
    const path = resolve(baseDir, ext.file);
    try {
      baseScope = await loadScope(path);
    } catch (err) {
      const code = (err as { code?: unknown } | null)?.code;
      if (code !== ErrorCodes.fileNotFound && code !== "ENOENT") throw err;
      throw new ComposeError(
        ErrorCodes.extends,
        `service "${name}" extends "${ext.service}" from ${ext.file}, which cannot be found`,
        {
          location: scope.file.locate(here, "value"),
          cause: err,
        },
      );
    }
  }

  const target = { path: baseScope.file.path, name: ext.service };
  const cycleStart = [...chain, link].findIndex((l) => l.path === target.path && l.name === target.name);
  if (cycleStart >= 0) {
    const names = [...chain, link].slice(cycleStart).map((l) => l.name);
    throw new ComposeError(ErrorCodes.extends, `extends cycle: ${[...names, target.name].join(" -> ")}`, {
      location: scope.file.locate(here, "key"),
    });
  }
  const baseServices = baseScope.doc.services;
  const baseService = isPlainObject(baseServices) ? baseServices[ext.service] : undefined;
  if (!isPlainObject(baseService) && baseService !== null) {
    throw new ComposeError(
      ErrorCodes.extends,
      `service "${name}" extends "${ext.service}", which is not defined in ${baseScope.file.path}`,
      { location: scope.file.locate(here, "value") },
    );
  }

  const base = await resolveService(baseScope, ext.service, [...chain, link], loadScope);
  const rebased = baseScope === scope ? base.service : rebasePaths(base.service, baseScope.home, scope.home);
  return {
    service: mergeService(rebased, own),
    lineage: [{ file: baseScope.file, name: ext.service }, ...base.lineage],
  };
}

/**
 * `resolved` with the `!reset`/`!override` written on the keys of `own` (the extending service) put back,
 * so that they also act on the definitions of the service in earlier files when the files are merged.
 */
function keepMergeTags(resolved: Data, own: Data): Data {
  const out = { ...resolved };
  for (const [key, value] of Object.entries(own)) {
    if (value instanceof ResetTag) out[key] = value;
    else if (value instanceof OverrideTag) out[key] = new OverrideTag(out[key]);
  }
  return out;
}

/**
 * A base service from another file: its relative paths are rewritten to point to the same place from
 * `to` (compose-go does the same in ResolveServiceRelativePaths).
 */
function rebasePaths(service: Data, from: string, to: string): Data {
  const move = (p: string): string => {
    if (isAbsolute(p) || p.startsWith("~")) return p;
    const rel = relative(to, resolve(from, p));
    if (rel === "") return ".";
    return rel.startsWith("..") ? rel : `./${rel}`;
  };
  return mapServicePaths(service, move);
}
