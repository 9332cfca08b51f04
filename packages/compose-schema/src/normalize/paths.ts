import { lstatSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { isPlainObject } from "../canonical/context.js";

type Doc = Record<string, unknown>;

/** Remote build contexts compose leaves alone. */
const remotePrefixes = ["https://", "http://", "git://", "ssh://", "github.com/", "git@"];

/**
 * An absolute path for `p` as compose resolves it: `~` is the home directory, relative is against
 * `base`. Joined paths are cleaned like Go's filepath.Join (`./backend/` → `<base>/backend`); an
 * absolute path is kept as written.
 */
export function absPath(base: string, p: string, home = homedir()): string {
  if (p.startsWith("~")) return joinClean(home, p.slice(1));
  return path.isAbsolute(p) ? p : joinClean(base, p);
}

/** path.join without the trailing separator Node keeps and Go's filepath.Join drops. */
function joinClean(base: string, p: string): string {
  const joined = path.join(base, p);
  return joined.length > 1 && joined.endsWith("/") ? joined.slice(0, -1) : joined;
}

/**
 * Resolves the project-relative paths of a canonical document against `workingDir`: build contexts
 * (not remote ones; a missing one is the project directory) and additional contexts, `env_file`,
 * bind mount sources, `develop.watch[].path`, the `file` of secrets and configs, and the device of
 * local bind volumes.
 * `dockerfile` stays relative to the context.
 * Already absolute paths are kept, so resolving twice changes nothing.
 */
export function resolveDocumentPaths(doc: Doc, workingDir: string, home = homedir()): Doc {
  const abs = (p: string) => absPath(workingDir, p, home);
  const out: Doc = { ...doc };
  if (isPlainObject(doc.services)) {
    out.services = Object.fromEntries(
      Object.entries(doc.services).map(([name, svc]) => [
        name,
        isPlainObject(svc) ? resolveService(svc, abs) : svc,
      ]),
    );
  }
  for (const section of ["secrets", "configs"]) {
    const entries = doc[section];
    if (!isPlainObject(entries)) continue;
    out[section] = mapEntries(entries, (e) => (typeof e.file === "string" ? { ...e, file: abs(e.file) } : e));
  }
  if (isPlainObject(doc.volumes)) {
    out.volumes = mapEntries(doc.volumes, (v) => {
      const opts = v.driver_opts;
      if (
        v.driver !== "local" ||
        !isPlainObject(opts) ||
        opts.o !== "bind" ||
        typeof opts.device !== "string"
      )
        return v;
      return { ...v, driver_opts: { ...opts, device: abs(opts.device) } };
    });
  }
  return out;
}

function resolveService(svc: Doc, abs: (p: string) => string): Doc {
  // Without a context, compose builds the project directory.
  const withContext = isPlainObject(svc.build)
    ? { ...svc, build: { ...svc.build, context: svc.build.context ?? "." } }
    : svc;
  const out = mapServicePaths(withContext, abs);
  if (isPlainObject(out.develop) && Array.isArray(out.develop.watch)) {
    out.develop = {
      ...out.develop,
      watch: out.develop.watch.map((w) =>
        isPlainObject(w) && typeof w.path === "string" ? { ...w, path: resolveFirstSymlink(w.path) } : w,
      ),
    };
  }
  return out;
}

/**
 * A watched path with its first symbolic link resolved, as compose-go v2 does (utils.ResolveSymbolicLink),
 * so that the file events, which name real paths, match it. A link that cannot be resolved is kept.
 */
export function resolveFirstSymlink(p: string): string {
  let current = "/";
  for (const part of p.split("/")) {
    if (part === "") continue;
    current = path.join(current, part);
    let isLink = false;
    try {
      isLink = lstatSync(current).isSymbolicLink();
    } catch {
      return p;
    }
    if (!isLink) continue;
    try {
      return realpathSync(current) + p.slice(current.length);
    } catch {
      return p;
    }
  }
  return p;
}

/**
 * `svc` with `fn` applied to each path of a service that is relative to its file: build context and
 * additional contexts (not remote ones), `env_file`, bind mount sources and `develop.watch[].path`.
 */
export function mapServicePaths(svc: Doc, fn: (p: string) => string): Doc {
  const out: Doc = { ...svc };
  if (isPlainObject(svc.build)) {
    const build: Doc = { ...svc.build };
    if (typeof build.context === "string" && !isRemote(build.context)) build.context = fn(build.context);
    if (isPlainObject(build.additional_contexts)) {
      build.additional_contexts = Object.fromEntries(
        Object.entries(build.additional_contexts).map(([k, v]) => [
          k,
          typeof v === "string" && !isRemote(v) ? fn(v) : v,
        ]),
      );
    }
    out.build = build;
  }
  if (Array.isArray(svc.env_file)) {
    out.env_file = svc.env_file.map((f) => {
      if (typeof f === "string") return fn(f);
      return isPlainObject(f) && typeof f.path === "string" ? { ...f, path: fn(f.path) } : f;
    });
  }
  if (Array.isArray(svc.volumes)) {
    out.volumes = svc.volumes.map((v) =>
      isPlainObject(v) && v.type === "bind" && typeof v.source === "string"
        ? { ...v, source: fn(v.source) }
        : v,
    );
  }
  if (isPlainObject(svc.develop) && Array.isArray(svc.develop.watch)) {
    out.develop = {
      ...svc.develop,
      watch: svc.develop.watch.map((w) =>
        isPlainObject(w) && typeof w.path === "string" ? { ...w, path: fn(w.path) } : w,
      ),
    };
  }
  return out;
}

function mapEntries(entries: Doc, fn: (e: Doc) => Doc): Doc {
  return Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, isPlainObject(v) ? fn(v) : v]));
}

/** Git and URL contexts, and builder-specific ones such as `docker-image://`, are not paths. */
function isRemote(context: string): boolean {
  return context.includes("://") || remotePrefixes.some((p) => context.startsWith(p));
}
