import { readFile, stat } from "node:fs/promises";
import type { ParsedKey } from "ssh2";
import { BuildSshUnavailableError } from "./errors.js";

/** What answers a `build.ssh` id: an agent socket the session proxies to, or key files it serves itself. */
export type SshAgent = { socket: string } | { keys: ParsedKey[] };

/**
 * Resolves each `build.ssh` id as buildx does: no path means `$SSH_AUTH_SOCK`; one path that is a socket is
 * an agent; otherwise every path is a private key file, served by an agent the session holds (an encrypted
 * key cannot be: it must be loaded into an ssh-agent, whose socket is then named).
 */
export async function resolveSshAgents(
  ssh: Record<string, string[]>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Map<string, SshAgent>> {
  const agents = new Map<string, SshAgent>();
  for (const [id, given] of Object.entries(ssh)) {
    const paths = given.length > 0 ? given : [env.SSH_AUTH_SOCK ?? ""];
    if (paths[0] === "") {
      throw new BuildSshUnavailableError(
        id,
        "no path given and SSH_AUTH_SOCK is not set: start an ssh-agent, or name a socket or key file",
      );
    }
    const kinds = await Promise.all(paths.map((path) => kindOf(id, path)));
    if (paths.length === 1 && kinds[0] === "socket") {
      agents.set(id, { socket: paths[0] });
      continue;
    }
    const keys: ParsedKey[] = [];
    // ssh2 is loaded only for key files; it is CommonJS, whose exports ES modules get as the default.
    const { default: ssh2 } = await import("ssh2");
    for (const [i, path] of paths.entries()) {
      if (kinds[i] === "socket") {
        throw new BuildSshUnavailableError(
          id,
          `${path} is an agent socket: name it alone, not with key files`,
        );
      }
      keys.push(await readPrivateKey(ssh2.utils, id, path));
    }
    agents.set(id, { keys });
  }
  return agents;
}

async function kindOf(id: string, path: string): Promise<"socket" | "file"> {
  try {
    return (await stat(path)).isSocket() ? "socket" : "file";
  } catch (error) {
    throw new BuildSshUnavailableError(
      id,
      `cannot use ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
}

async function readPrivateKey(
  utils: typeof import("ssh2").utils,
  id: string,
  path: string,
): Promise<ParsedKey> {
  const parsed = utils.parseKey(await readFile(path));
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key instanceof Error || !key?.isPrivateKey()) {
    const reason = key instanceof Error ? key.message : "not a private key";
    throw new BuildSshUnavailableError(
      id,
      `${path}: ${reason} (load an encrypted key into an ssh-agent with ssh-add and name the agent's socket)`,
    );
  }
  return key;
}
