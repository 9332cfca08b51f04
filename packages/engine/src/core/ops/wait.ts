import type Docker from "dockerode";
import { containerName, projectContainers, serviceOf } from "./select.js";

export interface ExitStatus {
  service: string;
  container: string;
  exitCode: number;
}

/**
 * `wait`: waits until every container of the services has stopped, and returns their exit codes.
 * Containers that are already stopped report at once.
 */
export async function waitServices(
  docker: Docker,
  projectName: string,
  opts: { services?: string[] } = {},
): Promise<ExitStatus[]> {
  const containers = await projectContainers(docker, projectName, { services: opts.services, all: true });
  return Promise.all(
    containers.map(async (c) => {
      const result = (await docker.getContainer(c.Id).wait()) as { StatusCode: number };
      return { service: serviceOf(c), container: containerName(c), exitCode: result.StatusCode };
    }),
  );
}
