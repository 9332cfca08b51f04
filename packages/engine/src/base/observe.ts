import type { Project } from "@berth/compose-schema";
import type Docker from "dockerode";
import { byteOrder } from "./byte-order.js";
import { Labels, projectFilter } from "./labels.js";

export interface ObservedContainer {
  id: string;
  name: string;
  service: string;
  number: number;
  oneoff: boolean;
  /** A pre_start hook container (kept after a failure): `down` removes it, `up` ignores it. */
  hook: boolean;
  /** created, running, paused, restarting, exited, dead. */
  state: string;
  /** ID of the image the container runs. */
  imageId: string;
  /** The image reference it was created from. */
  image: string;
  configHash: string;
  labels: Record<string, string>;
  /** Its volume mounts (named and anonymous): what a recreate carries over. */
  volumes: { name: string; target: string }[];
  /** Engine names of the networks it is attached to. */
  networks: string[];
}

export interface ObservedNetwork {
  id: string;
  name: string;
  driver: string;
  internal: boolean;
  options: Record<string, string>;
  labels: Record<string, string>;
}

export interface ObservedVolume {
  name: string;
  driver: string;
  options: Record<string, string>;
  labels: Record<string, string>;
}

export interface ObservedState {
  project: string;
  /** Every container of the project, stopped ones included. */
  containers: ObservedContainer[];
  /** The project's networks (by label) and the networks the file names (by engine name), once each. */
  networks: ObservedNetwork[];
  volumes: ObservedVolume[];
  /** Image reference → image ID, for the images the file's services use; absent when not present. */
  images: Record<string, string>;
}

function toContainer(c: Docker.ContainerInfo): ObservedContainer {
  const labels = c.Labels ?? {};
  return {
    id: c.Id,
    name: (c.Names[0] ?? c.Id).replace(/^\//, ""),
    service: labels[Labels.service] ?? "",
    number: Number(labels[Labels.containerNumber] ?? 0),
    oneoff: labels[Labels.oneoff] === "True",
    hook: labels[Labels.hook] !== undefined,
    state: c.State,
    imageId: c.ImageID,
    image: c.Image,
    configHash: labels[Labels.configHash] ?? "",
    labels,
    volumes: (c.Mounts ?? []).flatMap((m) =>
      m.Type === "volume" && m.Name ? [{ name: m.Name, target: m.Destination }] : [],
    ),
    networks: Object.keys(c.NetworkSettings?.Networks ?? {}),
  };
}

function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number }).statusCode === 404;
}

async function inspectNetwork(docker: Docker, name: string): Promise<ObservedNetwork | undefined> {
  try {
    const n = await docker.getNetwork(name).inspect();
    return {
      id: n.Id,
      name: n.Name,
      driver: n.Driver,
      internal: !!n.Internal,
      options: n.Options ?? {},
      labels: n.Labels ?? {},
    };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function inspectVolume(docker: Docker, name: string): Promise<ObservedVolume | undefined> {
  try {
    const v = await docker.getVolume(name).inspect();
    return { name: v.Name, driver: v.Driver, options: v.Options ?? {}, labels: v.Labels ?? {} };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function imageId(docker: Docker, ref: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(ref).inspect()).Id;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Image reference → image ID, for the references the engine holds. */
export async function observeImages(docker: Docker, references: string[]): Promise<Record<string, string>> {
  const refs = [...new Set(references)];
  const ids = await Promise.all(refs.map((r) => imageId(docker, r)));
  const images: Record<string, string> = {};
  refs.forEach((r, i) => {
    if (ids[i]) images[r] = ids[i];
  });
  return images;
}

/**
 * What the engine holds for a project, found by compose's labels. With the project, also the
 * networks and volumes its file names (external ones carry no label) and its images' IDs.
 */
export async function observeProject(
  docker: Docker,
  projectName: string,
  options: { project?: Project; images?: string[] } = {},
): Promise<ObservedState> {
  const filters = projectFilter(projectName);
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  // The project's networks by ID: a name made twice by concurrent creators would be ambiguous.
  const networkNames = new Set(networks.map((n) => n.Id));
  const labelledNames = new Set(networks.map((n) => n.Name));
  const volumeNames = new Set((volumes.Volumes ?? []).map((v) => v.Name));
  for (const n of Object.values(options.project?.networks ?? {}))
    if (!labelledNames.has(n.name)) networkNames.add(n.name);
  for (const v of Object.values(options.project?.volumes ?? {})) volumeNames.add(v.name);
  const [observedNetworks, observedVolumes, images] = await Promise.all([
    Promise.all([...networkNames].map((n) => inspectNetwork(docker, n))),
    Promise.all([...volumeNames].map((v) => inspectVolume(docker, v))),
    observeImages(docker, options.images ?? []),
  ]);
  return {
    project: projectName,
    containers: containers
      .map(toContainer)
      .sort((a, b) => byteOrder(a.service, b.service) || a.number - b.number),
    networks: observedNetworks.filter((n): n is ObservedNetwork => !!n),
    volumes: observedVolumes.filter((v): v is ObservedVolume => !!v),
    images,
  };
}
