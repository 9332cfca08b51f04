import { basename, dirname, resolve } from "node:path";
import type { BuildConfig, Project, ServiceConfig } from "@berth/compose-schema";
import type { BuildSessionOptions, SecretSource } from "../buildkit/session.js";
import type { DockerfileInfo } from "./context-tar.js";
import { BuildKeyError } from "./errors.js";

/** How a BuildKit build talks to its session, and what the build query then names as the Dockerfile. */
export interface SessionPlan {
  options: BuildSessionOptions;
  /** The context goes over filesync (only changed files cross the socket) instead of a tar body. */
  contextOverSession: boolean;
  /** The `dockerfile` query parameter: a name inside the session's `dockerfile` dir, or the tar's path. */
  dockerfileParam: string;
}

/**
 * `build.secrets` by id (a secret's `target` when given, else its name, as compose does) with the
 * project secret's file or environment variable; a secret with neither is refused naming the key.
 */
function secretSources(project: Project, service: ServiceConfig): Record<string, SecretSource> {
  const sources: Record<string, SecretSource> = {};
  for (const ref of service.build?.secrets ?? []) {
    const secret = project.secrets[ref.source];
    const id = ref.target ?? ref.source;
    if (secret?.file !== undefined) sources[id] = { file: secret.file };
    else if (secret?.environment !== undefined) sources[id] = { env: secret.environment };
    else
      throw new BuildKeyError(
        service.name,
        "secrets",
        `secret ${ref.source} needs a top-level definition with file: or environment: to be used in a build`,
      );
  }
  return sources;
}

/**
 * `build.ssh`: `default` (SSH_AUTH_SOCK) or `ID=path[,path]` of agent sockets, relative paths from the
 * project folder (where docker compose, run from there, finds them).
 */
function sshAgents(build: BuildConfig, projectDir: string): Record<string, string[]> {
  const agents: Record<string, string[]> = {};
  for (const entry of build.ssh ?? []) {
    const eq = entry.indexOf("=");
    if (eq === -1) agents[entry] = [];
    else
      agents[entry.slice(0, eq)] = entry
        .slice(eq + 1)
        .split(",")
        .filter(Boolean)
        .map((path) => resolve(projectDir, path));
  }
  return agents;
}

/**
 * The session of a BuildKit build: secrets, ssh, and the context over filesync when the Dockerfile is a
 * file (an inline Dockerfile travels in a tar body, the context with it). Pure.
 */
export function sessionPlan(
  project: Project,
  service: ServiceConfig,
  dockerfile: DockerfileInfo,
): SessionPlan {
  const build = service.build as BuildConfig;
  const options: BuildSessionOptions = {
    secrets: secretSources(project, service),
    ssh: sshAgents(build, project.workingDir),
  };
  if (dockerfile.file === undefined)
    return { options, contextOverSession: false, dockerfileParam: dockerfile.pathInContext };
  options.dirs = { context: { path: build.context }, dockerfile: { path: dirname(dockerfile.file) } };
  return { options, contextOverSession: true, dockerfileParam: basename(dockerfile.file) };
}
