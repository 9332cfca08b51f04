import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, docker, requireDocker } from "../../../../test/helpers/docker.js";
import { Labels } from "../base/labels.js";
import { removeLabelled } from "./reaper.js";
import { type ProvidedTestStack, composeGlobalSetup } from "./vitest.js";
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
    const name = (provided.get("berthStack") as ProvidedTestStack | undefined)?.projectName;
    if (name) await removeLabelled(docker, [`${Labels.project}=${name}`]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("provides the published ports and URLs of every service", async () => {
    const stack = provided.get("berthStack") as ProvidedTestStack;
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
    const name = (provided.get("berthStack") as ProvidedTestStack).projectName;
    await teardown?.();
    teardown = undefined;
    expect(
      await docker.listContainers({ all: true, filters: { label: [`${Labels.project}=${name}`] } }),
    ).toEqual([]);
  });
});

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

describe.skipIf(!requireDocker())("composeGlobalSetup in a real vitest run", () => {
  it("starts the stack once, lets tests inject its URLs, and removes it after the run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "berth-vitest-run-"));
    let name: string | undefined;
    try {
      symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
      writeFileSync(join(dir, "compose.yaml"), COMPOSE);
      const dist = join(ROOT, "packages/engine/dist/index.js");
      writeFileSync(
        join(dir, "setup.mjs"),
        `import { composeGlobalSetup, Wait } from ${JSON.stringify(dist)};
export default composeGlobalSetup({ cwd: import.meta.dirname, wait: { web: Wait.forPort(8080) } });`,
      );
      writeFileSync(
        join(dir, "vitest.config.mjs"),
        `export default { test: { globalSetup: ["./setup.mjs"], include: ["*.test.mjs"] } };`,
      );
      writeFileSync(
        join(dir, "web.test.mjs"),
        `import { expect, inject, test } from "vitest";
test("web", async () => {
  const stack = inject("berthStack");
  console.log("PROJECT=" + stack.projectName);
  expect((await fetch(stack.urls.web["8080/tcp"] + "hostname")).status).toBe(200);
});`,
      );
      const vitest = join(ROOT, "node_modules/.bin/vitest");
      const { stdout } = await promisify(execFile)(vitest, ["run", "--root", dir], {
        env: { ...process.env, CI: "" },
      });
      name = /PROJECT=(\S+)/.exec(stdout)?.[1];
      expect(stdout).toMatch(/1 passed/);
      expect(name).toMatch(/^berth-/);
      expect(
        await docker.listContainers({ all: true, filters: { label: [`${Labels.project}=${name}`] } }),
      ).toEqual([]);
    } finally {
      if (name) await removeLabelled(docker, [`${Labels.project}=${name}`]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
