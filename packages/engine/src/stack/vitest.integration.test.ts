import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, docker, requireDocker } from "../../../../test/helpers/docker.js";
import { Labels } from "../labels.js";
import { removeLabelled } from "./reaper.js";
import { type ProvidedStack, composeGlobalSetup } from "./vitest.js";
import { Wait } from "./waits.js";

const COMPOSE = `
services:
  web:
    image: ${BUSYBOX}
    command: ["httpd", "-f", "-p", "8080", "-h", "/etc"]
    ports: ["8080", "127.0.0.1::9000/udp"]
  worker:
    image: ${BUSYBOX}
    command: ["sleep", "300"]
`;

describe.skipIf(!requireDocker())("composeGlobalSetup", () => {
  let dir: string;
  const provided = new Map<string, unknown>();
  let teardown: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "berth-globalsetup-"));
    writeFileSync(join(dir, "compose.yaml"), COMPOSE);
    const setup = composeGlobalSetup({
      cwd: dir,
      wait: { web: Wait.forHttp("/hostname", 8080) },
      provide: async (stack) => ({ workerHost: (await stack.exec("worker", "hostname")).stdout.trim() }),
    });
    teardown = await setup({ provide: (key, value) => provided.set(key, value) });
  });

  afterAll(async () => {
    await teardown?.();
    const name = (provided.get("berthStack") as ProvidedStack | undefined)?.projectName;
    if (name) await removeLabelled(docker, [`${Labels.project}=${name}`]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("provides the published ports and URLs of every service", async () => {
    const stack = provided.get("berthStack") as ProvidedStack;
    expect(stack.projectName).toMatch(/^berth-/);
    expect(Object.keys(stack.ports)).toEqual(["web"]);
    expect(Object.keys(stack.ports.web).sort()).toEqual(["8080/tcp", "9000/udp"]);
    expect(stack.urls.web).toEqual({ "8080/tcp": `http://127.0.0.1:${stack.ports.web["8080/tcp"]}/` });
    const res = await fetch(`${stack.urls.web["8080/tcp"]}hostname`);
    expect(res.status).toBe(200);
  });

  it("provides what the provide option computes from the stack", () => {
    expect(provided.get("workerHost")).toMatch(/^[0-9a-f]{12}$/);
  });

  it("its teardown removes the stack", async () => {
    const name = (provided.get("berthStack") as ProvidedStack).projectName;
    await teardown?.();
    teardown = undefined;
    expect(
      await docker.listContainers({ all: true, filters: { label: [`${Labels.project}=${name}`] } }),
    ).toEqual([]);
  });
});
