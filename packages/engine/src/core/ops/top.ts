import type Docker from "dockerode";
import { containerName, projectContainers, serviceOf } from "./select.js";

export interface ContainerProcesses {
  container: string;
  service: string;
  titles: string[];
  processes: string[][];
}

/** `top`: the processes of each running container of the services. */
export async function topServices(
  docker: Docker,
  projectName: string,
  opts: { services?: string[]; psArgs?: string } = {},
): Promise<ContainerProcesses[]> {
  const containers = await projectContainers(docker, projectName, { services: opts.services });
  return Promise.all(
    containers.map(async (c) => {
      const top = await docker.getContainer(c.Id).top(opts.psArgs ? { ps_args: opts.psArgs } : {});
      return {
        container: containerName(c),
        service: serviceOf(c),
        titles: top.Titles,
        processes: top.Processes,
      };
    }),
  );
}
