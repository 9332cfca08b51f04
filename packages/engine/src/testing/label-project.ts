import type { Project } from "@berth/compose-schema";

/**
 * The project with `labels` added to every container, network and volume it creates (external
 * resources are not ours to mark). The engine copies a resource's labels onto what it creates.
 */
export function labelProject(project: Project, labels: Record<string, string>): Project {
  const mark = <T extends { labels?: Record<string, string>; external?: boolean }>(
    entries: Record<string, T>,
  ): Record<string, T> =>
    Object.fromEntries(
      Object.entries(entries).map(([key, value]) => [
        key,
        value.external ? value : { ...value, labels: { ...value.labels, ...labels } },
      ]),
    );
  return {
    ...project,
    services: mark(project.services),
    networks: mark(project.networks),
    volumes: mark(project.volumes),
  };
}
