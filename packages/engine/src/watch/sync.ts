import { lstat, readFile, readlink } from "node:fs/promises";
import type Docker from "dockerode";
import { pack } from "tar-stream";
import { execInService } from "../ops/exec.js";
import { containerName, containerNumber } from "../ops/select.js";
import type { SyncEntry } from "./plan.js";

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
  for (const { hostPath, containerPath } of copies) {
    const name = containerPath.replace(/^\/+/, "");
    try {
      const stat = await lstat(hostPath);
      const header = { name, mode: stat.mode & 0o7777, mtime: stat.mtime };
      if (stat.isDirectory()) tar.entry({ ...header, type: "directory" });
      else if (stat.isSymbolicLink())
        tar.entry({ ...header, type: "symlink", linkname: await readlink(hostPath) });
      else if (stat.isFile()) tar.entry(header, await readFile(hostPath));
      else continue;
      result.count++;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") result.vanished.push(containerPath);
      else result.unreadable.push({ path: hostPath, reason: (err as Error).message });
    }
  }
  tar.finalize();
  await ended;
  return { ...result, tar: Buffer.concat(chunks) };
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
