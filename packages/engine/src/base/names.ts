/** Engine-side names, as docker compose makes them, so both tools find the same resources. */

/** `project-service-1`, or the service's `container_name`. */
export function containerName(
  project: string,
  service: string,
  number: number,
  containerNameOverride?: string,
): string {
  return containerNameOverride ?? `${project}-${service}-${number}`;
}

/** The image a service with `build:` and no `image:` is tagged as. */
export function defaultImageName(project: string, service: string): string {
  return `${project}-${service}`;
}

/** A one-off (`run`) container: `project-service-run-1a2b3c4d5e6f`. */
export function oneOffContainerName(project: string, service: string, suffix: string): string {
  return `${project}-${service}-run-${suffix}`;
}
