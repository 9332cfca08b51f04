import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, docker, leftovers, requireDocker, uniqueProject } from "../helpers/docker.js";
import { SLEEPER } from "../helpers/project.js";
import {
  type BerthProcess,
  interrupt,
  requireBuiltCli,
  runBerth,
  running,
  startBerth,
  tempDir,
  waitUntil,
} from "./berth-process.js";
import { cleanup } from "./project.js";

// Issue #9 item 4: Ctrl-C while `up --wait` waits for a healthcheck that never passes, and while an
// attached `up` waits on `depends_on: condition: service_healthy`. The CLI exits 130 within the grace
// period + 2 s; attached, the first Ctrl-C also stops what was started and a second one kills it.
const GRACE_S = 5;

/** db never becomes healthy: its probe fails, and with this many retries it stays "starting". */
const compose = (dbCommand: string[], dbGrace: string) => `services:
  db:
    image: ${BUSYBOX}
    command: ${JSON.stringify(dbCommand)}
    stop_grace_period: ${dbGrace}
    healthcheck:
      test: ["CMD", "false"]
      interval: 1s
      retries: 10000
  web:
    image: ${BUSYBOX}
    command: ${JSON.stringify(SLEEPER)}
    stop_grace_period: ${GRACE_S}s
    depends_on:
      db:
        condition: service_healthy
`;

describe.skipIf(!requireDocker())("Ctrl-C while waiting for a healthcheck", () => {
  const projects: string[] = [];
  const dirs: { cleanup: () => void }[] = [];
  beforeAll(() => requireBuiltCli());
  afterAll(async () => {
    for (const p of projects) await cleanup(p);
    for (const d of dirs) d.cleanup();
  });

  /** Starts `berth ARGS` and waits until it waits on db's healthcheck. */
  async function waiting(args: string[], dbCommand = SLEEPER, dbGrace = `${GRACE_S}s`) {
    const project = uniqueProject("ctrlc-wait");
    projects.push(project);
    const dir = tempDir({ "compose.yaml": compose(dbCommand, dbGrace) });
    dirs.push(dir);
    const run = startBerth(["--progress", "plain", "-p", project, ...args], dir.dir);
    await waitUntil("berth to wait for db", () => /db-1 {2}Waiting/.test(run.stderr));
    return { project, dir: dir.dir, run };
  }

  /** `berth down`, then nothing labelled with the project is left. */
  async function downLeavesNothing(project: string, dir: string, run: BerthProcess) {
    const down = await runBerth(["-p", project, "down", "-t", "0"], dir);
    expect(down.code, `${run.stderr}\n${down.stderr}`).toBe(0);
    expect(await leftovers(project)).toEqual([]);
  }

  it("up --wait: exits 130 within grace + 2 s; down removes everything", async () => {
    const { project, dir, run } = await waiting(["up", "--wait", "db"]);
    const exit = await interrupt(run);
    expect(exit.code, run.stderr).toBe(130);
    expect(exit.ms, run.stderr).toBeLessThan((GRACE_S + 2) * 1000);
    await downLeavesNothing(project, dir, run);
  });

  it("attached up waiting on service_healthy: stops what started, exits 130 within grace + 2 s", async () => {
    const { project, dir, run } = await waiting(["up"]);
    const exit = await interrupt(run);
    expect(exit.code, run.stderr).toBe(130);
    expect(exit.ms, run.stderr).toBeLessThan((GRACE_S + 2) * 1000);
    // web was never created (its dependency never became healthy); db was started and is stopped again.
    expect(await running(project)).toEqual([]);
    expect(run.stderr).toContain("Gracefully stopping");
    const db = await docker.listContainers({
      all: true,
      filters: { label: [`com.docker.compose.project=${project}`] },
    });
    expect(db.map((c) => c.Labels["com.docker.compose.service"])).toEqual(["db"]);
    await downLeavesNothing(project, dir, run);
  });

  it("attached up waiting on service_healthy: a second Ctrl-C kills instead of waiting 60 s", async () => {
    // sleep as PID 1 ignores SIGTERM, so a graceful stop would last the whole 60 s grace period.
    const { project, dir, run } = await waiting(["up"], ["sleep", "3600"], "60s");
    run.child.kill("SIGINT");
    await waitUntil("the graceful stop to begin", () => run.stderr.includes("Gracefully stopping"), 20_000);
    const exit = await interrupt(run);
    expect(exit.code, run.stderr).toBe(130);
    // Killing takes no grace period: well within 2 s on an idle machine, generous here for a loaded one.
    expect(exit.ms, run.stderr).toBeLessThan(10_000);
    expect(run.stderr).toContain("Killing");
    expect(await running(project)).toEqual([]);
    await downLeavesNothing(project, dir, run);
  });
});
