import { connect } from "node:net";
import { WaitTimeoutError, up } from "@berth/engine";
import { afterAll, describe, expect, it } from "vitest";
import { docker, requireDocker, uniqueProject } from "../helpers/docker.js";
import { cleanup, makeProject } from "./project.js";

/** Connects once and waits for the server's first bytes: docker's proxy alone accepts, then closes. */
function firstBytes(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port }, () => socket.write("GET / HTTP/1.0\r\n\r\n"));
    socket.once("data", (chunk) => {
      socket.destroy();
      resolve(chunk.toString().split("\r\n")[0]);
    });
    socket.once("end", () => reject(new Error("closed without an answer")));
    socket.once("error", reject);
  });
}

async function publishedPort(project: string, service: string): Promise<number> {
  const info = await docker.getContainer(`${project}-${service}-1`).inspect();
  return Number(info.NetworkSettings.Ports["8080/tcp"]?.[0]?.HostPort);
}

// docker compose up --wait returns for a service without a healthcheck as soon as its container runs,
// before the server in it listens. Berth probes the published port from the host, with nothing run in
// the container, so it works for images without a shell.
describe.skipIf(!requireDocker())("--wait probes published ports from the host", () => {
  const slow = uniqueProject("hostwait");
  const never = uniqueProject("hostwait-never");
  afterAll(async () => {
    await cleanup(slow);
    await cleanup(never);
  });

  it("returns only once the published port accepts", async () => {
    const project = makeProject(slow, [
      {
        name: "web",
        command: ["sh", "-c", "sleep 2; exec httpd -f -p 8080"],
        ports: [{ target: 8080, host_ip: "127.0.0.1", protocol: "tcp" }],
      },
    ]);
    await up(docker, project, { wait: true, waitTimeoutMs: 30_000 });
    expect(await firstBytes(await publishedPort(slow, "web"))).toMatch(/^HTTP\/1\.[01] /);
  });

  it("times out naming what the probe saw while nothing listens", async () => {
    const project = makeProject(never, [
      { name: "web", ports: [{ target: 8080, host_ip: "127.0.0.1", protocol: "tcp" }] },
    ]);
    const error = await up(docker, project, { wait: true, waitTimeoutMs: 3_000 }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toMatch(/running, 127\.0\.0\.1:\d+: /);
  });
});
