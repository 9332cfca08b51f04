import { describe, expect, it } from "vitest";
import { connectDocker, describeHost, pingDocker } from "./docker-client.js";

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
