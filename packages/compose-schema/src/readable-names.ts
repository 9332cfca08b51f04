import type { Project } from "./types.js";

export interface ReadableNames {
  /** Names shown as they are: the project, services, container names, images, networks, volumes, configs, secrets. */
  exact: string[];
  /** The project's name, which begins the names of its containers, networks and volumes (`app-web-1`, `app_default`). */
  prefixes: string[];
}

/**
 * The names a project's output shows and that must stay readable even where a secret has the same text
 * (a `POSTGRES_PASSWORD: postgres` beside a service `postgres`): whatever masks secrets leaves them alone.
 */
export function readableNames(project: Project): ReadableNames {
  const exact = new Set<string>([project.name]);
  for (const service of [...Object.values(project.services), ...Object.values(project.disabledServices)]) {
    exact.add(service.name);
    if (service.container_name !== undefined) exact.add(service.container_name);
    if (service.image !== undefined) {
      exact.add(service.image);
      exact.add(repositoryOf(service.image));
    }
  }
  for (const section of [project.networks, project.volumes, project.configs, project.secrets]) {
    for (const [key, resource] of Object.entries(section)) {
      exact.add(key);
      exact.add(resource.name);
    }
  }
  return { exact: [...exact], prefixes: [project.name] };
}

/** `wordpress` of `wordpress:latest`, `ghcr.io/a/b` of `ghcr.io/a/b@sha256:…`: engine messages name either. */
function repositoryOf(image: string): string {
  const withoutDigest = image.split("@")[0]!;
  const tagAt = withoutDigest.lastIndexOf(":");
  return tagAt > withoutDigest.lastIndexOf("/") ? withoutDigest.slice(0, tagAt) : withoutDigest;
}
