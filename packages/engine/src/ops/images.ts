import type Docker from "dockerode";
import { containerName, projectContainers, serviceOf } from "./select.js";

export interface ContainerImage {
  container: string;
  service: string;
  /** Repository and tag of the reference the container was created from (`<none>` when untagged). */
  repository: string;
  tag: string;
  id: string;
  size: number;
  created: Date;
}

/** `images`: the image of each of the project's containers (stopped ones too). */
export async function listProjectImages(
  docker: Docker,
  projectName: string,
  opts: { services?: string[] } = {},
): Promise<ContainerImage[]> {
  const containers = await projectContainers(docker, projectName, { services: opts.services, all: true });
  const inspected = new Map<string, Promise<Docker.ImageInspectInfo>>();
  return Promise.all(
    containers.map(async (c) => {
      if (!inspected.has(c.ImageID)) inspected.set(c.ImageID, docker.getImage(c.ImageID).inspect());
      const image = await inspected.get(c.ImageID)!;
      const ref =
        image.RepoTags?.find((t) => t === c.Image || t === `${c.Image}:latest`) ?? image.RepoTags?.[0];
      const colon = ref ? ref.lastIndexOf(":") : -1;
      return {
        container: containerName(c),
        service: serviceOf(c),
        repository: ref && colon > 0 ? ref.slice(0, colon) : "<none>",
        tag: ref && colon > 0 ? ref.slice(colon + 1) : "<none>",
        id: image.Id,
        size: image.Size,
        created: new Date(image.Created),
      };
    }),
  );
}
