import { lstat, readFile, readlink } from "node:fs/promises";
import type Docker from "dockerode";
import type * as TarStream from "tar-stream";
import { execInService } from "../ops/exec.js";
import { containerName, containerNumber } from "../ops/select.js";
import type { SyncEntry } from "./plan.js";

const READ_WINDOW = 64;

type Header = Parameters<ReturnType<typeof TarStream.pack>["entry"]>[0];

/** A file, folder or link read from the host, named by its path in the container. */
export interface SyncFile {
  header: Header;
  body?: Buffer;
}

/** The files of one burst, and what could not be read. */
export interface SyncFiles {
  files: SyncFile[];
  /** Container paths whose host file went away after the change: removed in the container too. */
  vanished: string[];
  /** Host paths that could not be read, with the reason: skipped. */
  unreadable: { path: string; reason: string }[];
}

/**
 * Reads the changed files whole before anything is sent, so that the engine receives complete files or
 * nothing: a file that changes again while being read is in the next burst.
 */
export async function readSyncFiles(copies: readonly SyncEntry[]): Promise<SyncFiles> {
  const result: SyncFiles = { files: [], vanished: [], unreadable: [] };
  // 64 reads at a time: a burst of small files is mostly waiting for the disk, and each read holds a
  // file descriptor while it runs.
  for (let i = 0; i < copies.length; i += READ_WINDOW) {
    const window = copies.slice(i, i + READ_WINDOW);
    const reads = await Promise.all(
      window.map(({ hostPath, containerPath }) =>
        readFileEntry(hostPath, containerPath).then(
          (file) => ({ file }),
          (err: NodeJS.ErrnoException) => ({ err }),
        ),
      ),
    );
    reads.forEach((read, j) => {
      const { hostPath, containerPath } = window[j];
      if ("err" in read) {
        if (read.err.code === "ENOENT" || read.err.code === "ENOTDIR") result.vanished.push(containerPath);
        else result.unreadable.push({ path: hostPath, reason: read.err.message });
      } else if (read.file) {
        result.files.push(read.file);
      }
    });
  }
  return result;
}

/** A file, folder or link as a tar entry named by its container path; undefined for other kinds. */
async function readFileEntry(hostPath: string, containerPath: string): Promise<SyncFile | undefined> {
  const stat = await lstat(hostPath);
  const header = { name: containerPath.replace(/^\/+/, ""), mode: stat.mode & 0o7777, mtime: stat.mtime };
  if (stat.isDirectory()) return { header: { ...header, type: "directory" } };
  if (stat.isSymbolicLink())
    return { header: { ...header, type: "symlink", linkname: await readlink(hostPath) } };
  if (stat.isFile()) return { header, body: await readFile(hostPath) };
  return undefined;
}

/**
 * Who owns the synced files in a container: its user's numeric uid and gid, written into the archive,
 * or `by-name`, for the engine to look the user up in the container's /etc/passwd (`copyUIDGID`, as
 * compose does). The engine's lookup fails for numeric users without an entry, hence both.
 */
export type Ownership = { uid: number; gid: number } | "by-name";

export function ownershipOf(user: string): Ownership {
  if (user === "" || user === "root" || user === "0") return { uid: 0, gid: 0 };
  const numeric = /^(\d+)(?::(\d+))?$/.exec(user);
  if (numeric) return { uid: Number(numeric[1]), gid: Number(numeric[2] ?? 0) };
  return "by-name";
}

/** One tar archive of the files (entry names are container paths: it is put at `/`), owned as given. */
export async function packFiles(files: readonly SyncFile[], ownership: Ownership): Promise<Buffer> {
  // Loaded on first use: only watch syncs, and loading it costs every other command start-up time.
  const { pack } = await import("tar-stream");
  const tar = pack();
  const chunks: Buffer[] = [];
  tar.on("data", (chunk: unknown) => {
    chunks.push(chunk as Buffer);
  });
  const ended = new Promise<void>((resolve, reject) => {
    tar.on("end", resolve);
    tar.on("error", reject);
  });
  const owner = ownership === "by-name" ? { uid: 0, gid: 0 } : ownership;
  for (const file of files) tar.entry({ ...file.header, ...owner }, file.body ?? "");
  tar.finalize();
  await ended;
  return Buffer.concat(chunks);
}

/**
 * Puts the files into every container, all at once: one archive per kind of owner (replicas share
 * theirs) and one `PUT /containers/{id}/archive` per container; the engine creates missing folders.
 * `userOf` gives a container's user (`Config.User`, the image's `USER` included).
 */
export async function putToContainers(
  docker: Docker,
  containers: readonly Docker.ContainerInfo[],
  files: readonly SyncFile[],
  userOf: (container: Docker.ContainerInfo) => Promise<string>,
): Promise<void> {
  const archives = new Map<string, Promise<Buffer>>();
  await Promise.all(
    containers.map(async (c) => {
      const ownership = ownershipOf(await userOf(c));
      const key = JSON.stringify(ownership);
      let archive = archives.get(key);
      if (!archive) {
        archive = packFiles(files, ownership);
        archives.set(key, archive);
      }
      await docker
        .getContainer(c.Id)
        .putArchive(await archive, { path: "/", copyUIDGID: ownership === "by-name" });
    }),
  );
}

/** Removes the paths in every container with one `rm -rf` each (the image needs `rm`, as compose's does). */
export async function removeInContainers(
  docker: Docker,
  projectName: string,
  service: string,
  containers: readonly Docker.ContainerInfo[],
  paths: readonly string[],
): Promise<void> {
  await Promise.all(
    containers.map(async (c) => {
      const result = await execInService(docker, projectName, service, ["rm", "-rf", "--", ...paths], {
        index: containerNumber(c),
      });
      if (result.exitCode !== 0) {
        throw new Error(
          `rm in ${containerName(c)} exited with ${result.exitCode}: ${result.stderr?.trim() ?? ""}`,
        );
      }
    }),
  );
}
