import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, docker, requireDocker, uniqueProject } from "../../../../test/helpers/docker.js";
import type { EngineEvent } from "../base/events.js";
import { Labels } from "../base/labels.js";
import { down } from "../core/down.js";
import { liveTestStacks } from "./cleanup.js";
import { startTestStack } from "./start-test-stack.js";
import type { TestStack } from "./test-stack.js";
import { Wait } from "./waits.js";

const COMPOSE = `
services:
  web:
    image: ${BUSYBOX}
    command: ["sh", "-c", "echo listening; exec httpd -f -p 8080 -h /"]
    ports: ["8080"]
    scale: 2
  tool:
    image: ${BUSYBOX}
    command: ["sleep", "300"]
`;

async function projectResources(name: string): Promise<number> {
  const filters = { label: [`${Labels.project}=${name}`] };
  const containers = await docker.listContainers({ all: true, filters });
  const networks = await docker.listNetworks({ filters });
  return containers.length + networks.length;
}

describe.skipIf(!requireDocker())("startTestStack", () => {
  let dir: string;
  let stack: TestStack | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "berth-stack-"));
    writeFileSync(join(dir, "compose.yaml"), COMPOSE);
    stack = await startTestStack({ cwd: dir, wait: { web: Wait.forPort(8080) } });
  });

  afterAll(async () => {
    await stack?.down();
    rmSync(dir, { recursive: true, force: true });
  });

  it("names the project berth-<random> and registers it for cleanup on exit", () => {
    expect(stack?.name).toMatch(/^berth-[0-9a-f]{10}$/);
    expect(liveTestStacks()).toContain(stack?.name);
  });

  it("finds the ephemeral host port of each container and builds URLs", async () => {
    const s = stack as TestStack;
    const [first, second] = [await s.port("web", 8080), await s.port("web", 8080, { index: 2 })];
    expect(first).toBeGreaterThan(0);
    expect(second).not.toBe(first);
    expect(await s.url("web", 8080, "etc/hostname")).toBe(`http://127.0.0.1:${first}/etc/hostname`);
    const hostname = (await (await s.container("web")).inspect()).Config.Hostname;
    expect((await (await fetch(await s.url("web", 8080, "/etc/hostname"))).text()).trim()).toBe(hostname);
  });

  it("says when a port is not published", async () => {
    await expect((stack as TestStack).port("tool", 8080)).rejects.toMatchObject({
      code: "PORT_NOT_PUBLISHED",
    });
  });

  it("returns logs and runs commands", async () => {
    const s = stack as TestStack;
    expect(await s.logs("web")).toBe("listening\n");
    expect(await s.exec("tool", "echo out; echo err >&2; exit 4")).toEqual({
      exitCode: 4,
      stdout: "out\n",
      stderr: "err\n",
    });
    expect((await s.exec("tool", ["echo", "a b"])).stdout).toBe("a b\n");
  });

  it("records the engine events of up", async () => {
    const seen: EngineEvent[] = [];
    for await (const e of (stack as TestStack).events) seen.push(e);
    expect(seen).toEqual((stack as TestStack).events.all);
    expect(
      seen.filter((e) => e.kind === "container" && e.action === "Started").map((e) => e.service),
    ).toEqual(expect.arrayContaining(["web", "web", "tool"]));
  });

  it("waits like up --wait, and removes the stack at the end of an `await using` block", async () => {
    let name = "";
    {
      await using s = await startTestStack({ cwd: dir, wait: true });
      expect((await (await s.container("web", 2)).inspect()).State.Running).toBe(true);
      name = s.name;
      expect(await projectResources(name)).toBeGreaterThan(0);
    }
    expect(await projectResources(name)).toBe(0);
    expect(liveTestStacks()).not.toContain(name);
  });

  it("removes what it started when a wait fails, and says why", async () => {
    const projectName = uniqueProject("stack-fail");
    try {
      const failed = startTestStack({
        cwd: dir,
        projectName,
        wait: { tool: Wait.forLogMessage("never").withTimeout(400) },
      });
      await expect(failed).rejects.toMatchObject({ code: "WAIT_TIMEOUT" });
      expect(await projectResources(projectName)).toBe(0);
    } finally {
      await down(docker, projectName, { volumes: true, timeoutSeconds: 0 });
    }
  });

  it("rejects a wait on an unknown service before starting anything", async () => {
    const projectName = uniqueProject("stack-nosvc");
    await expect(
      startTestStack({ cwd: dir, projectName, wait: { nope: Wait.forSuccessfulExit() } }),
    ).rejects.toMatchObject({ code: "NO_SUCH_SERVICE" });
    expect(await projectResources(projectName)).toBe(0);
  });
});
