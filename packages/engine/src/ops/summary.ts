import type Docker from "dockerode";
import { EngineError } from "../errors.js";
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
  ports: PortSummary[];
  image: string;
  command: string;
  created: Date;
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
    })),
    image: c.Image,
    command: c.Command,
    created: new Date(c.Created * 1000),
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
