import { stat } from "node:fs/promises";
import { BuildSshUnavailableError } from "./errors.js";

/**
 * Where each `build.ssh` id's agent is: an agent socket the session proxies to. As with buildx, an id
 * without paths (compose's `default`) uses `$SSH_AUTH_SOCK`.
 */
export async function resolveSshAgents(
  ssh: Record<string, string[]>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Map<string, string>> {
  const agents = new Map<string, string>();
  for (const [id, paths] of Object.entries(ssh)) {
    const candidates = paths.length > 0 ? paths : [env.SSH_AUTH_SOCK ?? ""];
    if (candidates[0] === "") {
      throw new BuildSshUnavailableError(
        id,
        "no path given and SSH_AUTH_SOCK is not set: start an ssh-agent or name a socket",
      );
    }
    if (candidates.length > 1) {
      throw new BuildSshUnavailableError(id, `one agent socket per id, got ${candidates.length} paths`);
    }
    const [path] = candidates;
    let isSocket = false;
    try {
      isSocket = (await stat(path)).isSocket();
    } catch (error) {
      throw new BuildSshUnavailableError(
        id,
        `cannot use ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
    if (!isSocket) {
      throw new BuildSshUnavailableError(
        id,
        `${path} is not an ssh-agent socket: load the key into an agent (ssh-add) and name its socket, or use default with SSH_AUTH_SOCK`,
      );
    }
    agents.set(id, path);
  }
  return agents;
}
