import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AgentProtocol, type ParsedKey, utils } from "ssh2";
import { afterAll, describe, expect, it } from "vitest";
import { keyAgentConnection } from "./key-agent.js";

const dir = mkdtempSync(join(tmpdir(), "berth-key-agent-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function key(type: "ed25519" | "rsa", comment: string): { privateKey: ParsedKey; publicKey: ParsedKey } {
  const file = join(dir, `${type}-${comment}`);
  execFileSync("ssh-keygen", ["-q", "-t", type, "-N", "", "-C", comment, "-f", file]);
  const parse = (path: string) => {
    const parsed = utils.parseKey(readFileSync(path));
    if (parsed instanceof Error || Array.isArray(parsed)) throw new Error(`unreadable key ${path}`);
    return parsed;
  };
  return { privateKey: parse(file), publicKey: parse(`${file}.pub`) };
}

/** An ssh-agent client (ssh2's own) talking to the agent over a pipe, as ssh in a build step would. */
async function client(keys: ParsedKey[]): Promise<AgentProtocol> {
  const agent = await keyAgentConnection(keys);
  const protocol = new AgentProtocol(true);
  protocol.pipe(agent).pipe(protocol);
  return protocol;
}

describe("keyAgentConnection", () => {
  const ed = key("ed25519", "deploy-key");
  const rsa = key("rsa", "rsa-key");

  it("lists the keys it holds", async () => {
    const agent = await client([ed.privateKey, rsa.privateKey]);
    const identities = await new Promise<ParsedKey[]>((resolve, reject) =>
      agent.getIdentities((error, keys) => (error ? reject(error) : resolve(keys ?? []))),
    );
    expect(identities.map((k) => [k.type, k.comment])).toEqual([
      ["ssh-ed25519", "deploy-key"],
      ["ssh-rsa", "rsa-key"],
    ]);
  });

  it("signs with the key asked for (rsa with the SHA-2 hash asked for), verifiable with its public half", async () => {
    const data = Buffer.from("challenge");
    for (const [pair, options] of [
      [ed, {}],
      [rsa, { hash: "sha256" as const }],
    ] as const) {
      const agent = await client([ed.privateKey, rsa.privateKey]);
      const signature = await new Promise<Buffer>((resolve, reject) =>
        agent.sign(pair.publicKey, data, options, (error, sig) =>
          error || !sig ? reject(error) : resolve(sig),
        ),
      );
      expect(pair.publicKey.verify(data, signature, options.hash)).toBe(true);
    }
  });

  it("refuses to sign with a key it does not hold", async () => {
    const other = key("ed25519", "other");
    const agent = await client([ed.privateKey]);
    await expect(
      new Promise((resolve, reject) =>
        agent.sign(other.publicKey, Buffer.from("x"), (error, sig) => (error ? reject(error) : resolve(sig))),
      ),
    ).rejects.toThrow();
  });
});
