import type { Project } from "@berth/compose-schema";
import { CliError } from "./errors.js";

/** The services named on the command line, checked against the project; all of them when none are. */
export function selectServices(project: Project, requested: string[]): string[] {
  if (requested.length === 0) return Object.keys(project.services);
  const unknown = requested.filter((s) => !project.services[s]);
  if (unknown.length > 0) {
    throw new CliError(
      "NO_SUCH_SERVICE",
      `no such service: ${unknown.join(", ")}; see berth config --services`,
    );
  }
  return requested;
}
