import type Docker from "dockerode";
import { byteOrder } from "../../base/byte-order.js";
import { EngineError } from "../../base/errors.js";
import { Labels } from "../../base/labels.js";

export class NoContainerError extends EngineError {
  constructor(
    readonly service: string,
    readonly index: number,
  ) {
    super(
      "NO_CONTAINER",
      `service ${service} has no container${index === 1 ? "" : ` number ${index}`}: create it with berth up`,
    );
  }
}

/** compose's words when `attach`, `commit` or `export` find no running container of the service. */
export class ServiceNotRunningError extends EngineError {
  constructor(
    readonly service: string,
    readonly index?: number,
  ) {
    super(
      "SERVICE_NOT_RUNNING",
      `service "${service}" is not running${index ? ` container #${index}` : ""}: start it with berth up`,
    );
  }
}

export interface SelectOptions {
  services?: string[];
  /** Also stopped containers. */
  all?: boolean;
  /** One-off (`run`) containers: left out unless `include` or `only`. */
  oneoff?: "exclude" | "include" | "only";
}

/** The project's containers (from the engine, by label), ordered by service then container number. */
export async function projectContainers(
  docker: Docker,
  projectName: string,
  opts: SelectOptions = {},
): Promise<Docker.ContainerInfo[]> {
  const label = [`${Labels.project}=${projectName}`];
  const oneoff = opts.oneoff ?? "exclude";
  if (oneoff === "exclude") label.push(`${Labels.oneoff}=False`);
  if (oneoff === "only") label.push(`${Labels.oneoff}=True`);
  const containers = await docker.listContainers({ all: opts.all ?? false, filters: { label } });
  const services = opts.services?.length ? new Set(opts.services) : undefined;
  return containers
    .filter((c) => !services || services.has(c.Labels[Labels.service]))
    .sort(
      (a, b) =>
        byteOrder(serviceOf(a), serviceOf(b)) ||
        containerNumber(a) - containerNumber(b) ||
        byteOrder(containerName(a), containerName(b)),
    );
}

/** Container `index` (1-based, compose's `--index`) of a service, running or not. */
export async function serviceContainer(
  docker: Docker,
  projectName: string,
  service: string,
  index = 1,
): Promise<Docker.ContainerInfo> {
  const containers = await projectContainers(docker, projectName, { services: [service], all: true });
  return numberedContainer(containers, service, index);
}

/** The service's container number `index` among `containers` (its service's, one-offs left out). */
export function numberedContainer(
  containers: Docker.ContainerInfo[],
  service: string,
  index: number,
): Docker.ContainerInfo {
  const found = containers.find((c) => containerNumber(c) === index);
  if (found) return found;
  throw new NoContainerError(service, index);
}

/**
 * A running container of the service, as docker compose's `attach`, `commit` and `export` pick it:
 * number `index` when given, otherwise the lowest-numbered one, one-off (`run`) containers last.
 */
export async function runningServiceContainer(
  docker: Docker,
  projectName: string,
  service: string,
  index?: number,
): Promise<Docker.ContainerInfo> {
  const running = await projectContainers(docker, projectName, { services: [service], oneoff: "include" });
  const found = pickContainer(running, index);
  if (!found) throw new ServiceNotRunningError(service, index);
  return found;
}

/** Number `index` when given, else the lowest-numbered service container, one-off containers last. */
export function pickContainer(
  containers: Docker.ContainerInfo[],
  index?: number,
): Docker.ContainerInfo | undefined {
  return containers
    .filter((c) => !index || containerNumber(c) === index)
    .sort((a, b) => Number(isOneOff(a)) - Number(isOneOff(b)) || containerNumber(a) - containerNumber(b))[0];
}

function isOneOff(c: Docker.ContainerInfo): boolean {
  return c.Labels[Labels.oneoff] === "True";
}

export function serviceOf(c: Docker.ContainerInfo): string {
  return c.Labels[Labels.service] ?? "";
}

export function containerNumber(c: Docker.ContainerInfo): number {
  return Number(c.Labels[Labels.containerNumber] ?? 0);
}

export function containerName(c: Docker.ContainerInfo): string {
  return (c.Names[0] ?? c.Id).replace(/^\//, "");
}
