import { chmod, chown, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FileObjectConfig, Project, ServiceFileReference } from "@berth/compose-schema";
import { EngineError } from "../base/errors.js";

/**
 * Secrets and configs of containers (not swarm), always as read-only bind mounts:
 * - a `file:` source referenced without `mode`/`uid`/`gid` is bind-mounted as it is, so the container
 *   sees the host file's mode and owner, as docker compose does;
 * - otherwise (an `environment:` or `content:` source, or a reference that sets `mode`, `uid` or `gid`)
 *   Berth writes the content to a file of its own under the project's directory in the temp dir, with
 *   that mode (default 0444, compose's default) and owner (default: Berth's user), and bind-mounts that
 *   file read-only. The mount being read-only, not even root in the container can change the file; the
 *   mode and owner decide which users of the container may read it.
 * `down` removes the directory.
 */

export const FILE_OBJECT_FAILED = "FILE_OBJECT_FAILED";

/** A secret or config file could not be prepared (unreadable source, owner that cannot be set…). */
export class FileObjectError extends EngineError {
  constructor(
    readonly kind: "secrets" | "configs",
    readonly source: string,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(FILE_OBJECT_FAILED, `${kind.slice(0, -1)} ${source}: ${reason}`, options);
  }
}

/** Default mode of secret and config files, as in the Compose Specification. */
export const DEFAULT_FILE_OBJECT_MODE = 0o444;

/** Whether the reference asks for a mode or owner, which a plain bind mount of the source cannot give. */
function customized(ref: ServiceFileReference): boolean {
  return ref.mode !== undefined || ref.uid !== undefined || ref.gid !== undefined;
}

/**
 * The key under which the file written for this reference is found in `generatedFiles`, or undefined
 * when the source file itself is bind-mounted. References with the same source, mode and owner share one.
 */
export function fileObjectKey(
  kind: "secrets" | "configs",
  ref: ServiceFileReference,
  def: FileObjectConfig | undefined,
): string | undefined {
  if (!def || def.external) return undefined;
  if (!customized(ref)) return def.file === undefined ? `${kind}/${ref.source}` : undefined;
  const mode = (ref.mode ?? DEFAULT_FILE_OBJECT_MODE).toString(8);
  return `${kind}/${ref.source}.${mode}.${ref.uid ?? "-"}.${ref.gid ?? "-"}`;
}

/** Where secrets and configs given as `environment`/`content` are written; `down` removes it. */
export function fileObjectDir(projectName: string): string {
  return join(tmpdir(), `berth-${process.getuid?.() ?? "user"}`, projectName);
}

/** Each reference of the given services that Berth writes a file for, once per `fileObjectKey`. */
function* ownReferences(project: Project, services: readonly string[]) {
  const seen = new Set<string>();
  for (const kind of ["secrets", "configs"] as const) {
    for (const service of services) {
      for (const ref of project.services[service]?.[kind] ?? []) {
        const def = project[kind][ref.source];
        const key = fileObjectKey(kind, ref, def);
        if (!key || !def || seen.has(key)) continue;
        seen.add(key);
        yield { kind, ref, def, key };
      }
    }
  }
}

/** An `environment:` source whose variable is set nowhere has no content: no file, no mount. */
function environmentValue(project: Project, def: FileObjectConfig): string | undefined {
  return def.environment === undefined
    ? undefined
    : (project.environment[def.environment] ?? process.env[def.environment]);
}

function hasContent(project: Project, def: FileObjectConfig): boolean {
  return def.file !== undefined || def.content !== undefined || environmentValue(project, def) !== undefined;
}

/**
 * The files `writeFileObjects` writes for the given services under `dir`, by `fileObjectKey`: what
 * container specs mount, known before anything is written.
 */
export function plannedFileObjects(
  project: Project,
  services: readonly string[],
  dir: string,
): Record<string, string> {
  const files: Record<string, string> = {};
  for (const { def, key } of ownReferences(project, services))
    if (hasContent(project, def)) files[key] = join(dir, key);
  return files;
}

/**
 * Writes the files of the secrets and configs the given services use (see above) under `dir`, where
 * `plannedFileObjects` says they are.
 */
export async function writeFileObjects(
  project: Project,
  services: readonly string[],
  dir: string,
): Promise<void> {
  for (const { kind, ref, def, key } of ownReferences(project, services)) {
    const content = await sourceContent(project, kind, ref.source, def);
    if (content === undefined) continue;
    await mkdir(join(dir, kind), { recursive: true, mode: 0o700 });
    await writeOwned(join(dir, key), content, ref, kind);
  }
}

async function sourceContent(
  project: Project,
  kind: "secrets" | "configs",
  name: string,
  def: FileObjectConfig,
): Promise<string | Buffer | undefined> {
  if (def.file !== undefined) {
    try {
      return await readFile(def.file);
    } catch (err) {
      throw new FileObjectError(kind, name, `cannot read ${def.file}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  return def.content ?? environmentValue(project, def);
}

/** Writes `content` with the reference's mode and owner; an existing file (a previous `up`) is replaced in place. */
async function writeOwned(
  path: string,
  content: string | Buffer,
  ref: ServiceFileReference,
  kind: "secrets" | "configs",
): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  // A previous up left it read-only: make it writable for its owner (Berth) again to rewrite it.
  if (existing) await chmod(path, 0o600);
  await writeFile(path, content, { mode: 0o600 });
  if (ref.uid !== undefined || ref.gid !== undefined) {
    const uid = ref.uid !== undefined ? Number(ref.uid) : -1;
    const gid = ref.gid !== undefined ? Number(ref.gid) : -1;
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) {
      throw new FileObjectError(kind, ref.source, `uid and gid must be numbers (got ${ref.uid}, ${ref.gid})`);
    }
    try {
      await chown(path, uid, gid);
    } catch (err) {
      throw new FileObjectError(
        kind,
        ref.source,
        `cannot give the file to uid ${ref.uid ?? "-"}, gid ${ref.gid ?? "-"}: ${(err as Error).message} (setting an owner needs Berth to run as root)`,
        { cause: err },
      );
    }
  }
  // After chown, which may clear set-id bits; umask does not apply to chmod.
  await chmod(path, ref.mode ?? DEFAULT_FILE_OBJECT_MODE);
}
