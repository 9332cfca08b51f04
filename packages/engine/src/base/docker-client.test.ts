import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { connectDocker, describeHost, engineTraits, pingDocker } from "./docker-client.js";

type Modem = {
  socketPath?: string;
  host?: string;
  port?: number | string;
  protocol?: string;
  username?: string;
};
const modem = (host?: string) => (connectDocker(host) as unknown as { modem: Modem }).modem;

describe("connectDocker", () => {
  it("uses the default unix socket, or the one given", () => {
    expect(modem(undefined).socketPath).toBe("/var/run/docker.sock");
    expect(modem("").socketPath).toBe("/var/run/docker.sock");
    expect(modem("unix:///run/user/1000/docker.sock").socketPath).toBe("/run/user/1000/docker.sock");
  });

  it("connects over tcp and ssh", () => {
    expect(modem("tcp://10.0.0.5:2375")).toMatchObject({ host: "10.0.0.5", port: 2375, protocol: "http" });
    expect(modem("tcp://10.0.0.5:2376")).toMatchObject({ protocol: "https" });
    expect(modem("ssh://deploy@build.example.com")).toMatchObject({
      protocol: "ssh",
      host: "build.example.com",
      port: 22,
      username: "deploy",
    });
  });
});

describe("pingDocker", () => {
  it("turns a connection failure into ENGINE_UNREACHABLE naming the address", async () => {
    const host = "unix:///tmp/berth-no-such-docker.sock";
    await expect(pingDocker(connectDocker(host), host)).rejects.toMatchObject({
      code: "ENGINE_UNREACHABLE",
      message: "cannot reach the Docker engine at unix:///tmp/berth-no-such-docker.sock: is dockerd running?",
    });
    expect(describeHost(undefined)).toBe("unix:///var/run/docker.sock");
  });
});

/** A fake engine on a unix socket that answers every request like `/_ping`, counting them. */
async function withFakeEngine(test: (host: string, requests: () => number) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "berth-socket-"));
  const socketPath = join(dir, "engine.sock");
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { "Api-Version": "1.41", "Builder-Version": "2", Ostype: "linux" }).end("OK");
  });
  await new Promise<void>((done) => server.listen(socketPath, done));
  try {
    await test(`unix://${socketPath}`, () => requests);
  } finally {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("requests over a unix socket", () => {
  it("never ask whether the host is an IP address (its first check costs ~13 ms of CPU)", async () => {
    await withFakeEngine(async (host) => {
      const isIP = vi.spyOn(net, "isIP");
      try {
        await connectDocker(host).ping();
        expect(isIP).not.toHaveBeenCalled();
      } finally {
        isIP.mockRestore();
      }
    });
  });

  it("ping the engine once: the reachability check also gives the builder's traits", async () => {
    await withFakeEngine(async (host, requests) => {
      const docker = connectDocker(host);
      await pingDocker(docker, host);
      expect(await engineTraits(docker)).toEqual({
        apiVersion: "1.41",
        builderVersion: "2",
        osType: "linux",
      });
      expect(requests()).toBe(1);
    });
  });
});
