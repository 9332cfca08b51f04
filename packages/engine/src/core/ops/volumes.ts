import type Docker from "dockerode";
import { byteOrder } from "../../base/byte-order.js";
import { projectFilter } from "../../base/labels.js";
import { projectContainers } from "./select.js";

export type VolumeSummary = Docker.VolumeInspectInfo;

/**
 * `volumes`: the project's volumes (by label), sorted by name; with services, only those mounted by
 * their running containers, as docker compose lists them.
 */
export async function listProjectVolumes(
  docker: Docker,
  projectName: string,
  opts: { services?: string[] } = {},
): Promise<VolumeSummary[]> {
  const { Volumes } = await docker.listVolumes({ filters: projectFilter(projectName) });
  let volumes = Volumes ?? [];
  if (opts.services?.length) {
    const containers = await projectContainers(docker, projectName, {
      services: opts.services,
      oneoff: "include",
    });
    const mounted = new Set(containers.flatMap((c) => c.Mounts.map((m) => m.Name)));
    volumes = volumes.filter((v) => mounted.has(v.Name));
  }
  return volumes.sort((a, b) => byteOrder(a.Name, b.Name));
}
