import type { NetworkConfig, Project, VolumeConfig } from "@berth/compose-schema";
import type Docker from "dockerode";
import { COMPOSE_VERSION, Labels } from "../base/labels.js";
import { ipamSpec } from "../base/spec-primitives.js";

/** The create body of a project's network, labels included, as `POST /networks/create` receives it. */
export function networkSpec(
  project: Project,
  key: string,
  config: NetworkConfig,
): Docker.NetworkCreateOptions {
  const ipam = config.ipam;
  return {
    Name: config.name,
    Driver: config.driver ?? "bridge",
    Options: config.driver_opts,
    Internal: config.internal,
    Attachable: config.attachable,
    EnableIPv6: config.enable_ipv6,
    CheckDuplicate: true,
    IPAM: ipam && ipamSpec(ipam),
    Labels: {
      ...config.labels,
      [Labels.project]: project.name,
      [Labels.network]: key,
      [Labels.version]: COMPOSE_VERSION,
    },
  } as Docker.NetworkCreateOptions;
}

/** The create body of a project's volume, labels included, as `POST /volumes/create` receives it. */
export function volumeSpec(project: Project, key: string, config: VolumeConfig): Docker.VolumeCreateOptions {
  return {
    Name: config.name,
    Driver: config.driver ?? "local",
    DriverOpts: config.driver_opts ?? {},
    Labels: {
      ...config.labels,
      [Labels.project]: project.name,
      [Labels.volume]: key,
      [Labels.version]: COMPOSE_VERSION,
    },
  };
}
