import { type Server, type Socket, createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leftovers, requireDocker, uniqueProject } from "../helpers/docker.js";
import { interrupt, requireBuiltCli, startBerth, tempDir, waitUntil } from "./berth-process.js";
import { cleanup } from "./project.js";

// Issue #9 item 4: Ctrl-C while pulling. The engine sends no response headers until the registry
// answers, so a client that only listens to the progress stream waits out the engine's own registry
// timeouts (10 s TLS, then 15 s HTTP: 20-25 s) before it sees the Ctrl-C. Berth cancels the request.
const GRACE_S = 5;

/** A "registry" on 127.0.0.1 that accepts connections and never answers; dockerd trusts 127.0.0.0/8. */
function silentRegistry(): Promise<{ server: Server; port: number; connections: () => number }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on("error", () => {});
  });
  server.on("close", () => {
    for (const s of sockets) s.destroy();
  });
  return new Promise((resolve, reject) => {
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (typeof address !== "object" || !address) return reject(new Error("no address"));
      resolve({ server, port: address.port, connections: () => sockets.length });
    });
  });
}

describe.skipIf(!requireDocker())("Ctrl-C while pulling from a registry that never answers", () => {
  const projects: string[] = [];
  let registry: Awaited<ReturnType<typeof silentRegistry>>;
  let dir: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    requireBuiltCli();
    registry = await silentRegistry();
    dir = tempDir({
      "compose.yaml": `services:
  app:
    image: 127.0.0.1:${registry.port}/berth-hang/app:1
    pull_policy: always
    stop_grace_period: ${GRACE_S}s
`,
    });
  });
  afterAll(async () => {
    for (const p of projects) await cleanup(p);
    registry?.server.close();
    dir?.cleanup();
  });

  /** Starts the command and waits until the pull has reached the registry. */
  async function pulling(project: string, args: string[]) {
    projects.push(project);
    const before = registry.connections();
    const run = startBerth(["--progress", "plain", "-p", project, ...args], dir.dir);
    await waitUntil("the pull to start", () => run.stderr.includes("Pulling"));
    await waitUntil("the engine to connect to the registry", () => registry.connections() > before);
    return run;
  }

  it.each([
    ["attached up", ["up"]],
    ["up -d", ["up", "-d"]],
    ["pull", ["pull"]],
  ])("%s: exits 130 within grace + 2 s and creates nothing", async (_, args) => {
    const project = uniqueProject("ctrlc-pull");
    const run = await pulling(project, args);
    const exit = await interrupt(run);
    expect(exit.code, run.stderr).toBe(130);
    expect(exit.ms, run.stderr).toBeLessThan((GRACE_S + 2) * 1000);
    // Nothing was created before the image was there, so there is nothing for `down` to remove.
    expect(await leftovers(project)).toEqual([]);
  });
});
