import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, docker, requireDocker } from "../../../../test/helpers/docker.js";
import { Labels } from "../base/labels.js";
import { OwnerLabels } from "./owner.js";
import { startTestStack } from "./start-test-stack.js";

// The child processes run the built package, as a user's test process would.
const DIST = fileURLToPath(new URL("../../dist/index.js", import.meta.url));

const COMPOSE = `
services:
  app:
    image: ${BUSYBOX}
    command: ["sleep", "300"]
    volumes: ["data:/data"]
volumes:
  data: {}
`;

/** Starts a stack in a child node, which prints its name and then does `then`. */
const CHILD = `
const { startTestStack } = await import(process.argv[1]);
const stack = await startTestStack({ cwd: process.argv[2] });
console.log(stack.name);
const then = process.argv[3];
if (then === "throw") setTimeout(() => { throw new Error("boom"); }, 10);
else if (then === "exit") process.exit(0);
else if (then === "wait") setInterval(() => {}, 1000);
`;

interface Child {
  process: ChildProcess;
  name: Promise<string>;
  exited: Promise<number | NodeJS.Signals | null>;
}

function startChild(dir: string, then: string, env: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(process.execPath, ["--input-type=module", "-e", CHILD, DIST, dir, then], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr?.on("data", (d) => {
    err += d;
  });
  const name = new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(out.trim());
    });
    child.once("exit", () => reject(new Error(`child exited before starting a stack: ${err}`)));
  });
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ?? code)),
  );
  return { process: child, name, exited };
}

async function resources(name: string): Promise<number> {
  const filters = { label: [`${Labels.project}=${name}`] };
  return (
    (await docker.listContainers({ all: true, filters })).length +
    (await docker.listNetworks({ filters })).length +
    ((await docker.listVolumes({ filters })).Volumes ?? []).length
  );
}

describe.skipIf(!requireDocker())("cleanup and reaping across processes", () => {
  let dir: string;
  const started: string[] = [];
  const children: Child[] = [];

  beforeAll(() => {
    if (!existsSync(DIST) || !readFileSync(DIST, "utf8").includes("startTestStack"))
      throw new Error(`${DIST} is missing or stale: run pnpm build first`);
    dir = mkdtempSync(join(tmpdir(), "berth-reaper-"));
    writeFileSync(join(dir, "compose.yaml"), COMPOSE);
  });

  afterAll(async () => {
    for (const c of children) c.process.kill("SIGKILL");
    // By project label, kept stacks included: this test made them. A reaper may have got there first.
    const gone = (err: { statusCode?: number }) => {
      if (err.statusCode !== 404 && err.statusCode !== 409) throw err;
    };
    for (const name of started) {
      const filters = { label: [`${Labels.project}=${name}`] };
      for (const c of await docker.listContainers({ all: true, filters }))
        await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(gone);
      for (const n of await docker.listNetworks({ filters }))
        await docker.getNetwork(n.Id).remove().catch(gone);
      for (const v of (await docker.listVolumes({ filters })).Volumes ?? [])
        await docker.getVolume(v.Name).remove().catch(gone);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  async function child(then: string, env?: NodeJS.ProcessEnv): Promise<Child & { stack: string }> {
    const c = startChild(dir, then, env);
    children.push(c);
    const stack = await c.name;
    started.push(stack);
    return { ...c, stack };
  }

  it("marks every container, network and volume with its owner process", async () => {
    const c = await child("wait");
    const filters = { label: [`${Labels.project}=${c.stack}`, `${OwnerLabels.pid}=${c.process.pid}`] };
    expect((await docker.listContainers({ filters })).length).toBe(1);
    expect((await docker.listNetworks({ filters })).length).toBe(1);
    expect((await docker.listVolumes({ filters })).Volumes).toHaveLength(1);
    const [container] = await docker.listContainers({ filters });
    expect(container.Labels[OwnerLabels.start]).toMatch(/^\d+$/);

    // SIGKILL leaves no chance to clean up: the next startTestStack of any process removes the leftovers.
    c.process.kill("SIGKILL");
    expect(await c.exited).toBe("SIGKILL");
    await using next = await startTestStack({ cwd: dir });
    started.push(next.name);
    expect(await resources(c.stack)).toBe(0);
    expect(await resources(next.name)).toBe(3);
  });

  it.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)("removes its stacks on %s and exits with %i", async (signal, code) => {
    const c = await child("wait");
    c.process.kill(signal);
    expect(await c.exited).toBe(code);
    expect(await resources(c.stack)).toBe(0);
  });

  it("removes its stacks on process.exit and on an uncaught error", async () => {
    const [exit, thrown] = await Promise.all([child("exit"), child("throw")]);
    expect(await exit.exited).toBe(0);
    expect(await thrown.exited).toBe(1);
    expect(await resources(exit.stack)).toBe(0);
    expect(await resources(thrown.stack)).toBe(0);
  });

  it("removes its stacks when the event loop runs dry without down()", async () => {
    const c = await child("nothing");
    expect(await c.exited).toBe(0);
    expect(await resources(c.stack)).toBe(0);
  });

  it("keeps stacks under BERTH_KEEP=1, past its exit and the next reaping", async () => {
    const c = await child("exit", { BERTH_KEEP: "1" });
    expect(await c.exited).toBe(0);
    await using next = await startTestStack({ cwd: dir });
    started.push(next.name);
    expect(await resources(c.stack)).toBe(3);
  });
});
