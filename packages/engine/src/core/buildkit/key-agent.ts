import type { Duplex } from "node:stream";
import type { ParsedKey } from "ssh2";

/**
 * One connection to an ssh-agent that holds `keys` in this process (what buildx does for key files): it
 * lists them and signs with them, and refuses every other request (adding, removing, locking keys).
 */
export async function keyAgentConnection(keys: readonly ParsedKey[]): Promise<Duplex> {
  // Loaded with the first key file (ssh-agents.ts); CommonJS, so its exports are the default export.
  const { default: ssh2 } = await import("ssh2");
  const agent = new ssh2.AgentProtocol(false);
  agent.on("identities", (request) => agent.getIdentitiesReply(request, [...keys]));
  agent.on("sign", (request, publicKey, data, options) => {
    const wanted = publicKey.getPublicSSH();
    const key = keys.find((k) => k.getPublicSSH().equals(wanted));
    const signature = key?.sign(data, options.hash);
    if (!signature || signature instanceof Error) agent.failureReply(request);
    else agent.signReply(request, signature);
  });
  return agent;
}
