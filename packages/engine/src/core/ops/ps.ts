import type Docker from "dockerode";
import { projectContainers } from "./select.js";
import { type ContainerSummary, matchesFilters, summarize } from "./summary.js";

export type { ContainerSummary, PortSummary } from "./summary.js";

export interface PsOptions {
  /** Also stopped containers (`ps -a`). */
  all?: boolean;
  services?: string[];
  /** `--status`: engine states (running, exited, paused…). */
  status?: string[];
  /** `--filter`: `status=<state>`. */
  filter?: string[];
}

/** The project's service containers, as `docker compose ps` lists them (one-offs left out). */
export async function listContainers(
  docker: Docker,
  projectName: string,
  opts: PsOptions = {},
): Promise<ContainerSummary[]> {
  const statuses = opts.status ?? [];
  // A status filter other than running only makes sense over stopped containers too.
  const all = opts.all || statuses.some((s) => s !== "running") || (opts.filter ?? []).length > 0;
  const containers = await projectContainers(docker, projectName, { services: opts.services, all });
  return containers.map(summarize).filter((s) => matchesFilters(s, statuses, opts.filter ?? []));
}
