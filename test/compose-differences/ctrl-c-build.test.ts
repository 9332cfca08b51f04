import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BUSYBOX,
  docker,
  leftovers,
  removeProjectImageTags,
  requireDocker,
  uniqueProject,
} from "../helpers/docker.js";
import { interrupt, requireBuiltCli, startBerth, tempDir, waitUntil } from "./berth-process.js";
import { cleanup } from "./project.js";

// Issue #9 item 4 and #14: Ctrl-C while building. The CLI exits 130 within the grace period + 2 s, and
// the step that was running is stopped: with the legacy builder its container is removed, with
// BuildKit the engine cancels the solve when the request and session close. No container, image
// (not even half-tagged) or labelled resource is left behind.
const GRACE_S = 5;

/** Containers of the legacy builder running this project's step: their command carries the token. */
async function stepContainers(token: string): Promise<string[]> {
  const all = await docker.listContainers({ all: true });
  return all.filter((c) => c.Command.includes(token)).map((c) => `${c.Id.slice(0, 12)} (${c.State})`);
}

/**
 * Processes of a BuildKit step (run by the engine's own runc, no container) carrying the token, as the
 * host sees them: the step's shell, which waits for its `sleep` before echoing the token.
 */
function stepProcesses(token: string): string[] {
  const found = spawnSync("pgrep", ["-f", `sleep 60; echo ${token}`], { encoding: "utf8" });
  return found.stdout.split("\n").filter(Boolean);
}

describe.skipIf(!requireDocker())("Ctrl-C while building", () => {
  const projects: string[] = [];
  const dirs: { cleanup: () => void }[] = [];
  beforeAll(() => requireBuiltCli());
  afterAll(async () => {
    for (const p of projects) {
      await cleanup(p);
      await removeProjectImageTags(p);
    }
    for (const d of dirs) d.cleanup();
  });

  it.each([
    ["attached up", ["up"]],
    ["build", ["build"]],
  ])("%s, legacy builder: exits 130 within grace + 2 s and leaves no build container", async (_, args) => {
    const project = uniqueProject("ctrlc-build");
    projects.push(project);
    // The token makes the step unique (no cache hit) and lets the test find its container.
    const token = `berth-step-${project}`;
    const dir = tempDir({
      Dockerfile: `FROM ${BUSYBOX}\nRUN echo ${token} && sleep 60\n`,
      "compose.yaml": `services:\n  app:\n    build: .\n    stop_grace_period: ${GRACE_S}s\n`,
    });
    dirs.push(dir);
    const run = startBerth(["--progress", "plain", "-p", project, ...args], dir.dir, {
      DOCKER_BUILDKIT: "0",
    });
    await waitUntil("the RUN step's container to run", async () =>
      (await stepContainers(token)).some((c) => c.endsWith("(running)")),
    );
    const exit = await interrupt(run);
    expect(exit.code, run.stderr).toBe(130);
    expect(exit.ms, run.stderr).toBeLessThan((GRACE_S + 2) * 1000);
    // The engine removes the step's container once the build request is cancelled (forcerm); on a
    // loaded engine that can take a few seconds after the CLI has exited.
    await waitUntil("the step's container to be removed", async () => {
      return (await stepContainers(token)).length === 0;
    });
    const images = await docker.listImages({ filters: { reference: [`${project}-app`] } });
    expect(images).toEqual([]);
    expect(await leftovers(project)).toEqual([]);
  });

  it.each([
    ["attached up", ["up"]],
    ["build", ["build"]],
  ])("%s, BuildKit: exits 130 within grace + 2 s, stops the step and tags no image", async (_, args) => {
    const project = uniqueProject("ctrlc-bk");
    projects.push(project);
    const token = `berth-step-${project}`;
    const dir = tempDir({
      Dockerfile: `FROM ${BUSYBOX}\nRUN sleep 60; echo ${token}\nRUN echo after > /after\n`,
      "compose.yaml": `services:\n  app:\n    build: .\n    stop_grace_period: ${GRACE_S}s\n`,
    });
    dirs.push(dir);
    const run = startBerth(["--progress", "plain", "-p", project, ...args], dir.dir);
    await waitUntil("the RUN step to run", () => stepProcesses(token).length > 0);
    expect(run.stderr).toMatch(/\[app 2\/3\] RUN sleep 60; echo berth-step-.* {2}Running/);
    const exit = await interrupt(run);
    expect(exit.code, run.stderr).toBe(130);
    expect(exit.ms, run.stderr).toBeLessThan((GRACE_S + 2) * 1000);
    await waitUntil("the step's processes to end", () => stepProcesses(token).length === 0, 20_000);
    const images = await docker.listImages({ filters: { reference: [`${project}-app`] } });
    expect(images).toEqual([]);
    expect(await leftovers(project)).toEqual([]);
  });
});
