import type { Project } from "@berth/compose-schema";
import type { CommandContext } from "./context.js";
import { loadFromCli } from "./project.js";

/** What commands that act on existing containers need: the name, and the model when files exist. */
export interface ProjectRef {
  name: string;
  project?: Project;
}

const NO_FILE = new Set(["COMPOSE_NO_FILE", "COMPOSE_FILE_NOT_FOUND"]);

/**
 * Loads the project, or, when there is no compose file and a name was given (-p or
 * COMPOSE_PROJECT_NAME), settles for the name: `down -p NAME` must work after the file is gone.
 * `services` are the ones named on the command line: the loader enables them whatever their profiles
 * and fails with `no such service: X` for one the project lacks, as docker compose does for every
 * command that takes services.
 */
export async function resolveProjectRef(ctx: CommandContext, services: string[] = []): Promise<ProjectRef> {
  try {
    const project = await loadFromCli(ctx, { services });
    return { name: project.name, project };
  } catch (error) {
    const name = ctx.global.projectName ?? ctx.env.COMPOSE_PROJECT_NAME;
    if (name && isMissingFile(error)) return { name };
    throw error;
  }
}

/** The loader reports a missing file alone or wrapped in its list of problems. */
function isMissingFile(error: unknown): boolean {
  const { code, errors } = error as { code?: string; errors?: readonly { code?: string }[] };
  if (errors && errors.length > 0) return errors.every((e) => e.code !== undefined && NO_FILE.has(e.code));
  return code !== undefined && NO_FILE.has(code);
}
