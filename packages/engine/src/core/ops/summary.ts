import type Docker from "dockerode";
import { EngineError } from "../../base/errors.js";
import { Labels } from "../../base/labels.js";
import { containerName, containerNumber, serviceOf } from "./select.js";

export interface PortSummary {
  hostIp?: string;
  privatePort: number;
  publicPort?: number;
  protocol: string;
}

/** One row of `ps`. */
export interface ContainerSummary {
  id: string;
  name: string;
  service: string;
  number: number;
  /** The engine's state: created, running, paused, restarting, removing, exited, dead. */
  state: string;
  /** The engine's human text: "Up 3 minutes (healthy)", "Exited (1) 2 seconds ago". */
  status: string;
  health?: "starting" | "healthy" | "unhealthy";
  exitCode?: number;
  /** In ascending order of container port, as compose lists them. */
  ports: PortSummary[];
  image: string;
  command: string;
  created: Date;
  project: string;
  /** The engine's names, with their leading slash. */
  names: string[];
  labels: Record<string, string>;
  /** Names of the attached networks. */
  networks: string[];
  /** Each mount's volume name, or its source for a bind mount. */
  mounts: string[];
  /** How many mounts use the `local` volume driver. */
  localVolumes: number;
}

export function summarize(c: Docker.ContainerInfo): ContainerSummary {
  const summary: ContainerSummary = {
    id: c.Id,
    name: containerName(c),
    service: serviceOf(c),
    number: containerNumber(c),
    state: c.State,
    status: c.Status,
    ports: c.Ports.map((p) => ({
      ...(p.IP ? { hostIp: p.IP } : {}),
      privatePort: p.PrivatePort,
      ...(p.PublicPort ? { publicPort: p.PublicPort } : {}),
      protocol: p.Type,
    })).sort((a, b) => a.privatePort - b.privatePort),
    image: c.Image,
    command: c.Command,
    created: new Date(c.Created * 1000),
    project: c.Labels[Labels.project] ?? "",
    names: c.Names,
    labels: c.Labels,
    networks: Object.keys(c.NetworkSettings?.Networks ?? {}),
    mounts: c.Mounts.map((m) => m.Name || m.Source),
    localVolumes: c.Mounts.filter((m) => m.Driver === "local").length,
  };
  const health = /\((healthy|unhealthy|health: starting)\)/.exec(c.Status)?.[1];
  if (health)
    summary.health = health === "health: starting" ? "starting" : (health as "healthy" | "unhealthy");
  const exit = /^Exited \((-?\d+)\)/.exec(c.Status);
  if (exit) summary.exitCode = Number(exit[1]);
  return summary;
}

export class InvalidFilterError extends EngineError {
  constructor(readonly filter: string) {
    super("INVALID_FILTER", `invalid filter ${filter}: only status=<state> is supported`);
  }
}

/** compose's `--filter status=running` and `--status` values: the engine's state names. */
export function matchesFilters(s: ContainerSummary, statuses: string[], filters: string[]): boolean {
  if (statuses.length > 0 && !statuses.includes(s.state)) return false;
  return filters.every((f) => {
    const [key, value] = f.split("=", 2);
    if (key === "status") return s.state === value;
    throw new InvalidFilterError(f);
  });
}
