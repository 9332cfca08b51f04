import type Docker from "dockerode";
import { containerName, projectContainers, serviceOf } from "./select.js";

export interface ContainerImage {
  container: string;
  service: string;
  /** Repository and tag of the reference the container was created from (empty when untagged). */
  repository: string;
  tag: string;
  id: string;
  /** `os/architecture[/variant]`, as docker writes platforms. */
  platform: string;
  size: number;
  /** The engine's RFC 3339 times, as it wrote them; `lastTagTime` only when the image was tagged. */
  created: string;
  lastTagTime?: string;
}

/** Go's zero time: the engine's answer for an image never tagged (an imported one, say). */
const ZERO_TIME = "0001-01-01T00:00:00Z";

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
      const lastTagTime = (image as { Metadata?: { LastTagTime?: string } }).Metadata?.LastTagTime;
      return {
        container: containerName(c),
        service: serviceOf(c),
        repository: ref && colon > 0 ? ref.slice(0, colon) : "",
        tag: ref && colon > 0 ? ref.slice(colon + 1) : "",
        id: image.Id,
        platform: [image.Os, image.Architecture, image.Variant].filter(Boolean).join("/"),
        size: image.Size,
        created: image.Created,
        ...(lastTagTime && lastTagTime !== ZERO_TIME ? { lastTagTime } : {}),
      };
    }),
  );
}
