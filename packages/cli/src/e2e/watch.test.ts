import type { ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { BUSYBOX, requireDocker, uniqueProject } from "../../../../test/helpers/docker.js";
import { containerStates, jsonEvents, runBerth, runCommand, startBerth, tempProject } from "./harness.js";
import { removeProject } from "./project-cleanup.js";

const compose = (project: string) => `name: ${project}
services:
  app:
    image: ${BUSYBOX}
    command: ["sh", "-c", "echo app-ready; trap 'exit 0' TERM; sleep 3600 & wait"]
    stop_grace_period: 1s
    develop:
      watch:
        - path: ./src
          action: sync
          target: /app
  plain:
    image: ${BUSYBOX}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    stop_grace_period: 1s
`;

describe.skipIf(!requireDocker())("berth watch and up --watch", () => {
  const projects: string[] = [];
  const children: ChildProcess[] = [];
  const dirs: { cleanup: () => void }[] = [];

  function project() {
    const name = uniqueProject("cli-watch");
    projects.push(name);
    const dir = tempProject({ "compose.yaml": compose(name) });
    dirs.push(dir);
    mkdirSync(path.join(dir.dir, "src"));
    return { name, dir: dir.dir };
  }

  afterEach(() => {
    for (const c of children.splice(0)) c.kill("SIGKILL");
  });
  afterAll(async () => {
    for (const p of projects) await removeProject(p);
    for (const d of dirs) d.cleanup();
  });

  it("watch brings the services up, syncs a change, and Ctrl-C ends at once leaving them running", async () => {
    const { name, dir } = project();
    const run = startBerth(["watch", "app"], { cwd: dir });
    children.push(run.child);
    await run.waitFor(/^app: watching 1 rule$/m);
    writeFileSync(path.join(dir, "src/hello.txt"), "hello");
    await run.waitFor(/^app: synced 1 file in \d+ ms$/m);
    const cat = await runCommand("docker", ["exec", `${name}-app-1`, "cat", "/app/hello.txt"]);
    expect(cat.stdout).toBe("hello");
    const pressed = Date.now();
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(130);
    expect(Date.now() - pressed).toBeLessThan(2000);
    // Only the named service was brought up, and Ctrl-C left it running.
    expect(await containerStates(name)).toEqual([`${name}-app-1 running`]);
  });

  it("watch --no-up reports each burst as a json event with --progress json", async () => {
    const { name, dir } = project();
    expect((await runBerth(["up", "-d", "app"], { cwd: dir })).code).toBe(0);
    const run = startBerth(["--progress", "json", "watch", "--no-up"], { cwd: dir });
    children.push(run.child);
    await run.waitFor(/"detail":"watching 1 rule"/);
    writeFileSync(path.join(dir, "src/a.txt"), "a");
    await run.waitFor(/"detail":"synced 1 file in \d+ ms"/);
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(130);
    const events = jsonEvents(run.out.stderr);
    // --no-up: nothing was created or started.
    expect(events.every((e) => e.action === "Watch")).toBe(true);
    expect(events.at(-1)).toMatchObject({ kind: "service", name: "app", service: "app", status: "done" });
    expect(await containerStates(name)).toEqual([`${name}-app-1 running`]);
  });

  it("up --watch shows logs and watch lines together; Ctrl-C stops the containers", async () => {
    const { name, dir } = project();
    const run = startBerth(["up", "--watch"], { cwd: dir });
    children.push(run.child);
    await run.waitFor(/app-ready/, "stdout");
    await run.waitFor(/^app: watching 1 rule$/m);
    writeFileSync(path.join(dir, "src/b.txt"), "b");
    await run.waitFor(/^app: synced 1 file in \d+ ms$/m);
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(130);
    expect(await containerStates(name)).toEqual([`${name}-app-1 exited`, `${name}-plain-1 exited`]);
  });

  it("watch --dry-run plans each burst and changes nothing; the real watch then does what it planned", async () => {
    const { name, dir } = project();
    expect((await runBerth(["up", "-d", "app"], { cwd: dir })).code).toBe(0);
    const catHello = () => runCommand("docker", ["exec", `${name}-app-1`, "cat", "/app/hello.txt"]);
    const dry = startBerth(["--dry-run", "watch", "app"], { cwd: dir });
    children.push(dry.child);
    // The up it would run first is printed as up --dry-run prints it.
    await dry.waitFor(new RegExp(`^Container ${name}-app-1  Running  up to date$`, "m"));
    await dry.waitFor(/^app: watching 1 rule$/m);
    writeFileSync(path.join(dir, "src/hello.txt"), "hello");
    await dry.waitFor(/^app: synced 1 file: \.\/src\/hello\.txt → \/app\/hello\.txt$/m);
    dry.child.kill("SIGINT");
    expect(await dry.exited).toBe(130);
    expect((await catHello()).code).not.toBe(0);

    const real = startBerth(["watch", "--no-up", "app"], { cwd: dir });
    children.push(real.child);
    await real.waitFor(/^app: watching 1 rule$/m);
    writeFileSync(path.join(dir, "src/hello.txt"), "hello");
    await real.waitFor(/^app: synced 1 file in \d+ ms$/m);
    real.child.kill("SIGINT");
    expect(await real.exited).toBe(130);
    expect((await catHello()).stdout).toBe("hello");
    // The same action line: the dry run's words are the real run's, less the time it took.
    const action = (stderr: string, tail: RegExp) =>
      stderr
        .split("\n")
        .filter((l) => l.startsWith("app: synced"))
        .map((l) => l.replace(tail, ""));
    expect(action(dry.out.stderr, /: \.\/.*$/)).toEqual(action(real.out.stderr, / in \d+ ms$/));
  });

  it("up --watch --dry-run prints up's plan, then each burst's, as planned json events", async () => {
    const { name, dir } = project();
    const run = startBerth(["--progress", "json", "up", "--watch", "--dry-run"], { cwd: dir });
    children.push(run.child);
    await run.waitFor(/"detail":"watching 1 rule"/);
    writeFileSync(path.join(dir, "src/c.txt"), "c");
    await run.waitFor(/"detail":"no running container to update/);
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(130);
    const events = jsonEvents(run.out.stderr);
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: "container",
        name: `${name}-app-1`,
        action: "Created",
        status: "planned",
      }),
    );
    // Nothing runs, so the burst finds no container to update: a warning, as the real watch gives.
    expect(events.at(-1)).toMatchObject({
      kind: "service",
      name: "app",
      action: "Watch",
      status: "warning",
      detail: "no running container to update: start it with berth up",
    });
    expect(await containerStates(name)).toEqual([]);
  });

  it("is an error, before anything starts, when no selected service has develop.watch", async () => {
    const { name, dir } = project();
    const r = await runBerth(["watch", "plain"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("none of the services plain has develop.watch rules");
    const up = await runBerth(["up", "--watch", "-d"], { cwd: dir });
    expect(up.code).toBe(2);
    expect(await containerStates(name)).toEqual([]);
  });
});
