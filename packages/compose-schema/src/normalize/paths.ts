import { homedir } from "node:os";
import path from "node:path";
import { isPlainObject } from "../canonical/context.js";

type Doc = Record<string, unknown>;

/** Remote build contexts compose leaves alone. */
const remotePrefixes = ["https://", "http://", "git://", "ssh://", "github.com/", "git@"];

/** An absolute path for `p` as compose resolves it: `~` is the home directory, relative is against `base`. */
export function absPath(base: string, p: string, home = homedir()): string {
  if (p.startsWith("~")) return path.join(home, p.slice(1));
  return path.isAbsolute(p) ? p : path.join(base, p);
}

/**
 * Resolves the project-relative paths of a canonical document against `workingDir`: build contexts
 * (not remote ones; a missing one is the project directory) and additional contexts, `env_file`,
 * bind mount sources, the `file` of secrets and configs, and the device of local bind volumes.
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
  const out: Doc = { ...svc };
  if (isPlainObject(svc.build)) {
    // Without a context, compose builds the project directory.
    const build: Doc = { ...svc.build, context: svc.build.context ?? "." };
    if (typeof build.context === "string" && !isRemote(build.context)) build.context = abs(build.context);
    if (isPlainObject(build.additional_contexts)) {
      build.additional_contexts = Object.fromEntries(
        Object.entries(build.additional_contexts).map(([k, v]) => [
          k,
          typeof v === "string" && !v.includes("://") && !isRemote(v) ? abs(v) : v,
        ]),
      );
    }
    out.build = build;
  }
  if (Array.isArray(svc.env_file)) {
    out.env_file = svc.env_file.map((f) => {
      if (typeof f === "string") return abs(f);
      return isPlainObject(f) && typeof f.path === "string" ? { ...f, path: abs(f.path) } : f;
    });
  }
  if (Array.isArray(svc.volumes)) {
    out.volumes = svc.volumes.map((v) =>
      isPlainObject(v) && v.type === "bind" && typeof v.source === "string"
        ? { ...v, source: abs(v.source) }
        : v,
    );
  }
  return out;
}

function mapEntries(entries: Doc, fn: (e: Doc) => Doc): Doc {
  return Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, isPlainObject(v) ? fn(v) : v]));
}

function isRemote(context: string): boolean {
  return remotePrefixes.some((p) => context.startsWith(p));
}
