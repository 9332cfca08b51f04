import { stat } from "node:fs/promises";
import { basename, dirname, posix } from "node:path";
import type Docker from "dockerode";
import { EngineError } from "../../base/errors.js";
import { serviceContainer } from "./select.js";

export class CopyError extends EngineError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("COPY_FAILED", message, options);
  }
}

/** Renames the first path segment of tar entries, which is how `cp src dest` names the copy `dest`. */
function renameRoot(from: string, to: string) {
  return <H extends { name: string }>(header: H): H => {
    const [first, ...rest] = header.name.split("/");
    if (first === from) header.name = [to, ...rest].join("/");
    return header;
  };
}

/**
 * `cp host-path service:path`: a file or directory into a service container. As with `docker cp`, an
 * existing directory at the destination receives the copy under its own name; otherwise the copy is
 * named after the destination.
 */
export async function copyToService(
  docker: Docker,
  projectName: string,
  service: string,
  hostPath: string,
  containerPath: string,
  opts: { index?: number } = {},
): Promise<void> {
  const info = await serviceContainer(docker, projectName, service, opts.index ?? 1);
  const container = docker.getContainer(info.Id);
  await stat(hostPath).catch((cause) => {
    throw new CopyError(`cannot copy ${hostPath}: no such file or directory`, { cause });
  });
  const destIsDir = await containerPathIsDir(container, containerPath);
  const name = basename(hostPath);
  const targetDir = destIsDir ? containerPath : posix.dirname(containerPath);
  const targetName = destIsDir ? name : posix.basename(containerPath);
  // tar-fs is loaded on first use: every other command would pay for it at start-up.
  const { pack } = await import("tar-fs");
  const tar = pack(dirname(hostPath), { entries: [name], map: renameRoot(name, targetName) });
  try {
    await container.putArchive(tar, { path: targetDir });
  } catch (cause) {
    throw new CopyError(`cannot copy to ${service}:${containerPath}: ${(cause as Error).message}`, { cause });
  }
}

/** `cp service:path host-path`: a file or directory out of a service container. */
export async function copyFromService(
  docker: Docker,
  projectName: string,
  service: string,
  containerPath: string,
  hostPath: string,
  opts: { index?: number } = {},
): Promise<void> {
  const info = await serviceContainer(docker, projectName, service, opts.index ?? 1);
  const container = docker.getContainer(info.Id);
  let archive: NodeJS.ReadableStream;
  try {
    archive = await container.getArchive({ path: containerPath });
  } catch (cause) {
    throw new CopyError(`cannot copy ${service}:${containerPath}: no such file or directory`, { cause });
  }
  const destIsDir = await stat(hostPath).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const name = posix.basename(containerPath.replace(/\/+$/, "")) || "/";
  const targetDir = destIsDir ? hostPath : dirname(hostPath);
  const targetName = destIsDir ? name : basename(hostPath);
  const { extract } = await import("tar-fs");
  await new Promise<void>((resolve, reject) => {
    const out = extract(targetDir, { map: renameRoot(name, targetName) });
    out.on("finish", resolve);
    out.on("error", reject);
    archive.on("error", reject);
    archive.pipe(out);
  });
}

async function containerPathIsDir(container: Docker.Container, path: string): Promise<boolean> {
  try {
    const res = (await container.infoArchive({ path })) as { headers: Record<string, string> };
    const header = res.headers["x-docker-container-path-stat"];
    const mode = header ? (JSON.parse(Buffer.from(header, "base64").toString()) as { mode: number }).mode : 0;
    // Go's os.ModeDir is the top bit of a 32-bit mode.
    return (mode & 0x80000000) !== 0;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}
