import type Docker from "dockerode";
import { Labels } from "../../base/labels.js";

export interface ProjectSummary {
  name: string;
  /** compose's combined status: `exited(1), running(2)`, states in alphabetical order. */
  status: string;
  configFiles: string;
}

export function combinedStatus(states: string[]): string {
  const counts = new Map<string, number>();
  for (const s of states) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts.keys()]
    .sort()
    .map((s) => `${s}(${counts.get(s)})`)
    .join(", ");
}

/** `ls`: the projects that have containers on the engine (running ones only unless `all`). */
export async function listProjects(docker: Docker, opts: { all?: boolean } = {}): Promise<ProjectSummary[]> {
  const containers = await docker.listContainers({
    all: opts.all ?? false,
    filters: { label: [Labels.project] },
  });
  return summarizeProjects(containers);
}

/** One summary per project, by project name in byte order as compose sorts them. */
export function summarizeProjects(containers: Docker.ContainerInfo[]): ProjectSummary[] {
  const projects = new Map<string, { states: string[]; files: Set<string> }>();
  for (const c of containers) {
    const name = c.Labels[Labels.project];
    const entry = projects.get(name) ?? { states: [], files: new Set<string>() };
    entry.states.push(c.State);
    const files = c.Labels[Labels.configFiles];
    if (files) for (const f of files.split(",")) entry.files.add(f);
    projects.set(name, entry);
  }
  return [...projects.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, { states, files }]) => ({
      name,
      status: combinedStatus(states),
      configFiles: [...files].join(","),
    }));
}
