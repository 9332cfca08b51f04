import { lstat, readFile, readlink } from "node:fs/promises";
import type Docker from "dockerode";
import { pack } from "tar-stream";
import { execInService } from "../ops/exec.js";
import { containerName, containerNumber } from "../ops/select.js";
import type { SyncEntry } from "./plan.js";

const READ_WINDOW = 64;

/** What one burst's archive holds, and what could not go into it. */
export interface SyncArchive {
  tar: Buffer;
  /** Entries in the archive (files, folders, links). */
  count: number;
  /** Container paths whose host file went away after the change: removed in the container too. */
  vanished: string[];
  /** Host paths that could not be read, with the reason: skipped. */
  unreadable: { path: string; reason: string }[];
}

/**
 * One tar archive of the changed files, read whole before anything is sent, so that the engine receives
 * complete files or nothing: a file that changes again while being read is in the next burst. Entry names
 * are the container paths (the archive is put at `/`); the engine creates missing parent folders.
 */
export async function syncArchive(copies: readonly SyncEntry[]): Promise<SyncArchive> {
  const tar = pack();
  const chunks: Buffer[] = [];
  tar.on("data", (chunk: unknown) => {
    chunks.push(chunk as Buffer);
  });
  const ended = new Promise<void>((resolve, reject) => {
    tar.on("end", resolve);
    tar.on("error", reject);
  });
  const result: Omit<SyncArchive, "tar"> = { count: 0, vanished: [], unreadable: [] };
  // 64 reads at a time: a burst of small files is mostly waiting for the disk, and each read holds a
  // file descriptor while it runs.
  for (let i = 0; i < copies.length; i += READ_WINDOW) {
    const window = copies.slice(i, i + READ_WINDOW);
    const reads = await Promise.all(
      window.map(({ hostPath, containerPath }) =>
        readEntry(hostPath, containerPath).then(
          (entry) => ({ entry }),
          (err: NodeJS.ErrnoException) => ({ err }),
        ),
      ),
    );
    reads.forEach((read, j) => {
      const { hostPath, containerPath } = window[j];
      if ("err" in read) {
        if (read.err.code === "ENOENT" || read.err.code === "ENOTDIR") result.vanished.push(containerPath);
        else result.unreadable.push({ path: hostPath, reason: read.err.message });
      } else if (read.entry) {
        tar.entry(read.entry.header, read.entry.body ?? "");
        result.count++;
      }
    });
  }
  tar.finalize();
  await ended;
  return { ...result, tar: Buffer.concat(chunks) };
}

type Header = Parameters<ReturnType<typeof pack>["entry"]>[0];

/** A file, folder or link as a tar entry named by its container path; undefined for other kinds. */
async function readEntry(
  hostPath: string,
  containerPath: string,
): Promise<{ header: Header; body?: Buffer } | undefined> {
  const stat = await lstat(hostPath);
  const header = { name: containerPath.replace(/^\/+/, ""), mode: stat.mode & 0o7777, mtime: stat.mtime };
  if (stat.isDirectory()) return { header: { ...header, type: "directory" } };
  if (stat.isSymbolicLink())
    return { header: { ...header, type: "symlink", linkname: await readlink(hostPath) } };
  if (stat.isFile()) return { header, body: await readFile(hostPath) };
  return undefined;
}

/** Puts the archive into every container, all at once (`PUT /containers/{id}/archive`, one call each). */
export async function putToContainers(
  docker: Docker,
  containers: readonly Docker.ContainerInfo[],
  tar: Buffer,
): Promise<void> {
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).putArchive(tar, { path: "/" })));
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
