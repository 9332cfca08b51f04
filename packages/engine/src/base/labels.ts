/**
 * The labels docker compose puts on what it creates. Berth writes and reads the same ones so that
 * `docker compose` and Berth see and manage each other's projects.
 */
export const Labels = {
  project: "com.docker.compose.project",
  service: "com.docker.compose.service",
  containerNumber: "com.docker.compose.container-number",
  oneoff: "com.docker.compose.oneoff",
  configHash: "com.docker.compose.config-hash",
  configFiles: "com.docker.compose.project.config_files",
  workingDir: "com.docker.compose.project.working_dir",
  environmentFile: "com.docker.compose.project.environment_file",
  dependsOn: "com.docker.compose.depends_on",
  image: "com.docker.compose.image",
  version: "com.docker.compose.version",
  network: "com.docker.compose.network",
  volume: "com.docker.compose.volume",
  replace: "com.docker.compose.replace",
  /** On one-off containers (`run`): the random part of their name. */
  slug: "com.docker.compose.slug",
  /** On pre_start hook containers (compose v5): they are none of the service's replicas. */
  hook: "com.docker.compose.hook",
} as const;

/** The compose version Berth reports in `com.docker.compose.version` (the behaviour it follows). */
export const COMPOSE_VERSION = "2.23.3";

export function projectFilter(project: string, extra: string[] = []): { label: string[] } {
  return { label: [`${Labels.project}=${project}`, ...extra] };
}
