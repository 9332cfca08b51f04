import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { down } from "@berth/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBerth } from "../../packages/cli/src/e2e/harness.js";
import { BUSYBOX, docker, projectResources, requireDocker, uniqueProject } from "../helpers/docker.js";
import { SLEEPER } from "../helpers/project.js";

// Issue 7, load: 10 projects brought up at the same time by 10 `berth` processes all converge, and 10
// concurrent `down -v` leave nothing. The processes share one engine and its default bridge allocator,
// its name registry and its volume store, which is where concurrent projects could trip over each other.

const PROJECTS = 10;
const SERVICES = ["db", "app", "web"];

/** db ← app ← web, with a named volume on db: a chain and a volume per project. */
const COMPOSE = `services:
  db:
    image: ${BUSYBOX}
    command: ${JSON.stringify(SLEEPER)}
    stop_grace_period: 1s
    volumes: [data:/data]
  app:
    image: ${BUSYBOX}
    command: ${JSON.stringify(SLEEPER)}
    stop_grace_period: 1s
    depends_on: [db]
  web:
    image: ${BUSYBOX}
    command: ${JSON.stringify(SLEEPER)}
    stop_grace_period: 1s
    depends_on: [app]
volumes:
  data: {}
`;

interface Run {
  project: string;
  code: number | null;
  output: string;
}

/** One real `berth` process; output kept so a failure shows what the process said. */
async function berth(project: string, cwd: string, args: string[]): Promise<Run> {
  const r = await runBerth(["-p", project, "--progress", "plain", ...args], {
    cwd,
    env: { NO_COLOR: "1" },
    // Under vitest's hook timeout, so that a hang fails with the process's output.
    timeoutMs: 100_000,
  });
  return { project, code: r.code, output: r.stdout + r.stderr };
}

function failures(runs: Run[]): string[] {
  return runs.filter((r) => r.code !== 0).map((r) => `${r.project} exited ${r.code}:\n${r.output}`);
}

describe.skipIf(!requireDocker())("10 projects by 10 concurrent berth processes", () => {
  const projects = Array.from({ length: PROJECTS }, (_, i) => uniqueProject(`load-${i}`));
  let dir = "";

  beforeAll(() => {
    // One file for all: each process names its own project with -p, as CI jobs sharing a checkout do.
    dir = mkdtempSync(join(tmpdir(), "berth-load-"));
    writeFileSync(join(dir, "compose.yaml"), COMPOSE);
  });

  afterAll(async () => {
    await Promise.all(
      projects.map((p) => down(docker, p, { volumes: true, timeoutSeconds: 0 }).catch(() => undefined)),
    );
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it("all converge with up -d --wait, each with exactly its own containers, and down -v leaves nothing", async () => {
    const ups = await Promise.all(projects.map((p) => berth(p, dir, ["up", "-d", "--wait"])));
    expect(failures(ups)).toEqual([]);

    for (const p of projects) {
      const state = await projectResources(p);
      expect(state.containers.sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual(
        SERVICES.map((s) => ({ name: `${p}-${s}-1`, state: "running" })).sort((a, b) =>
          a.name.localeCompare(b.name),
        ),
      );
      expect(state.networks).toEqual([`${p}_default`]);
      expect(state.volumes).toEqual([`${p}_data`]);
    }

    const downs = await Promise.all(projects.map((p) => berth(p, dir, ["down", "-v"])));
    expect(failures(downs)).toEqual([]);
    for (const p of projects) {
      expect(await projectResources(p)).toEqual({ containers: [], networks: [], volumes: [] });
    }
  }, 180_000);
});
