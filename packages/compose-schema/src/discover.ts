import { dirname, resolve } from "node:path";
import { resolveEnvironment } from "./environment.js";
import { findComposeFiles } from "./find-files.js";

export interface Discovered {
  /** Absolute paths, or "-" for stdin. */
  files: string[];
  projectDir: string;
  /** Variables for interpolation and COMPOSE_PROJECT_NAME. */
  vars: Record<string, string>;
  /** What compose takes as its process environment once it has read the .env; COMPOSE_PROFILES is read here. */
  env: Record<string, string>;
}

/**
 * The compose files, project directory and variables of a project, in docker compose's order: the
 * .env (or `--env-file` files) of the directory compose starts from (`--project-directory`, else the
 * first `-f` file's directory, else the working directory) is read before the files are looked for, so
 * COMPOSE_FILE and COMPOSE_PATH_SEPARATOR may come from it. Then compose copies the .env of the project
 * directory those files give into its process environment and looks again. The process environment
 * wins over every .env; the project directory's .env wins over the starting directory's.
 */
export function discoverProject(opts: {
  files?: string[];
  cwd: string;
  projectDirectory?: string;
  /** Absolute `--env-file` paths. */
  envFiles?: string[];
  processEnv: Record<string, string | undefined>;
}): Discovered {
  const cwd = resolve(opts.cwd);
  const projectDirectory =
    opts.projectDirectory === undefined ? undefined : resolve(cwd, opts.projectDirectory);
  const firstFile = opts.files?.find((f) => f !== "-");
  const start = projectDirectory ?? (firstFile ? dirname(resolve(cwd, firstFile)) : cwd);
  const find = (env: Record<string, string>) =>
    findComposeFiles({ files: opts.files, cwd, projectDirectory, env });
  const environment = (projectDir: string) =>
    resolveEnvironment({ projectDir, envFiles: opts.envFiles, processEnv: opts.processEnv }).vars;

  const early = environment(start);
  const found = find(early);
  if (found.projectDir === start || (opts.envFiles?.length ?? 0) > 0) {
    return { ...found, vars: early, env: early };
  }
  const env = environment(found.projectDir);
  const vars = { ...early, ...env };
  return { ...find(vars), vars, env };
}
