import type Docker from "dockerode";
import { runningServiceContainer } from "./select.js";

/** `export`: the filesystem of a running service container, as the tar stream the engine sends. */
export async function exportService(
  docker: Docker,
  projectName: string,
  service: string,
  opts: { index?: number } = {},
): Promise<NodeJS.ReadableStream> {
  const info = await runningServiceContainer(docker, projectName, service, opts.index);
  return docker.getContainer(info.Id).export();
}
