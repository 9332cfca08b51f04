import type { Project } from "@berth/compose-schema";

/**
 * The services a command acts on: those named on the command line, or all of them. The loader has
 * already checked the named ones (`no such service: X`) when it enabled them.
 */
export function selectServices(project: Project, requested: string[]): string[] {
  return requested.length > 0 ? requested : Object.keys(project.services);
}
