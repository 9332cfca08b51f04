import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, docker, requireDocker } from "../../test/helpers/docker.js";
import {
  freePort,
  httpGet,
  leftovers,
  requireImages,
  runningServices,
  useExample,
} from "../support/berth.js";

const dir = fileURLToPath(new URL(".", import.meta.url));
const IMAGES = ["postgres", "redis", "nginx", "node"].map((name) => `berth-examples/${name}:latest`);

describe.skipIf(!requireDocker())("examples/devstack", () => {
  let port = 0;
  // The API's source is a copy that the live-editing test can change without touching the example.
  const source = mkdtempSync(join(tmpdir(), "berth-example-devstack-"));
  cpSync(join(dir, "api", "src"), source, { recursive: true });
  afterAll(() => rmSync(source, { recursive: true, force: true }));
  // The web port is a free one of this run's, not .env's 8080, so parallel runs never collide.
  const example = useExample(dir, "devstack", {
    downArgs: ["--profile", "debug"],
    env: () => ({ WEB_PORT: String(port), API_SRC: source }),
  });
  const visit = async () => {
    const { status, body } = await httpGet(`http://127.0.0.1:${port}/`);
    expect(status, body).toBe(200);
    return JSON.parse(body);
  };

  beforeAll(async () => {
    // Fails rather than skips: without the images this example cannot be checked at all.
    await requireImages([BUSYBOX, ...IMAGES]);
    port = await freePort();
  });

  it("answers through nginx and the API with data from PostgreSQL and Redis", async () => {
    await example.ok(["up", "-d", "--wait"], { timeoutMs: 300_000 });
    expect(await runningServices(example.project)).toEqual(["api", "cache", "db", "web"]);
    const first = await visit();
    expect(first).toMatchObject({ message: "Hello from Berth", visits: 1, cache: "miss" });
    expect(first.postgres).toMatch(/^15\.\d+ \(Debian/);
    expect(await visit()).toMatchObject({ visits: 2, cache: "hit" });
  }, 300_000);

  it("built the API with its registry token as a build secret that the image does not keep", async () => {
    const token = readFileSync(join(dir, "registry-token.dev"), "utf8").trim();
    const image = `${example.project}-api`;
    const history = execFileSync("docker", ["history", "--no-trunc", image], { encoding: "utf8" });
    const layers = execFileSync("sh", ["-c", `docker save ${image} | strings`], {
      encoding: "utf8",
      maxBuffer: 1 << 30,
    });
    for (const text of [history, layers]) expect(text).not.toContain(token);
    // The dependency the install step put into node_modules is what the API runs with.
    const { stdout } = await example.ok(["exec", "-T", "api", "ls", "node_modules"]);
    expect(stdout.trim()).toBe("resp-client");
  });

  it("publishes the web port on 127.0.0.1 only", async () => {
    const [web] = await docker.listContainers({
      filters: { label: [`com.docker.compose.project=${example.project}`, "com.docker.compose.service=web"] },
    });
    expect(
      web.Ports.filter((p) => p.PublicPort).map((p) => `${p.IP}:${p.PublicPort}->${p.PrivatePort}`),
    ).toEqual([`127.0.0.1:${port}->80`]);
  });

  it("keeps the database in its named volume across down and up", async () => {
    await example.ok(["down"]);
    expect(await leftovers(example.project)).toEqual([`volume ${example.project}_pgdata`]);
    await example.ok(["up", "-d", "--wait"], { timeoutMs: 300_000 });
    expect(await visit()).toMatchObject({ visits: 3 });
  }, 300_000);

  it("runs the debug profile's tool on the stack's networks", async () => {
    const { stdout } = await example.ok([
      "--profile",
      "debug",
      "run",
      "--rm",
      "-T",
      "tools",
      "wget",
      "-qO-",
      "http://api:3000/",
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ visits: 4 });
  });

  it("berth watch syncs an edit of the source into the API, without a rebuild; Ctrl-C leaves it running", async () => {
    const watch = example.start(["watch", "--no-up", "api"]);
    try {
      await watch.waitFor(/^api: watching 2 rules$/m);
      const server = join(source, "server.js");
      writeFileSync(
        server,
        readFileSync(server, "utf8").replace("message: greeting,", "message: `${greeting}, edited`,"),
      );
      await watch.waitFor(/^api: synced 1 file in \d+ ms$/m);
      // node --watch restarts the API in the container: until it is back, nginx answers 502.
      const deadline = Date.now() + 30_000;
      let last = "";
      while (Date.now() < deadline && !last.includes("Hello from Berth, edited")) {
        last = (await httpGet(`http://127.0.0.1:${port}/`)).body;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      expect(last).toContain('"message":"Hello from Berth, edited"');
      watch.child.kill("SIGINT");
      expect(await watch.exited).toBe(130);
      expect(watch.out.stderr).not.toMatch(/rebuil/);
      expect(await runningServices(example.project)).toEqual(["api", "cache", "db", "web"]);
    } finally {
      watch.child.kill("SIGKILL");
    }
  });
});
