import { afterAll, describe, expect, it } from "vitest";
import { BUSYBOX, requireDocker, uniqueProject } from "../helpers/docker.js";
import {
  EMPTY,
  IDLE,
  berthIn,
  convergedState,
  killBerthAt,
  projectState,
  removeProject,
  settledState,
  tempProject,
} from "./fault-helpers.js";

const FIRST = ["a1", "a2", "a3", "a4"];
const SECOND = ["b1", "b2", "b3", "b4", "b5"];
const SERVICES = [...FIRST, "gate", ...SECOND].sort();
/**
 * Ten services. `gate` turns healthy a few seconds after it starts and the b services wait for that, so
 * an `up` killed while it waits on `gate` has created about half of the containers: a known mid-point.
 */
const COMPOSE = `services:
${FIRST.map((s) => `  ${s}:\n    image: ${BUSYBOX}\n    command: ${IDLE}\n    stop_grace_period: 1s\n`).join("")}  gate:
    image: ${BUSYBOX}
    command: ["sh", "-c", "trap 'exit 0' TERM; (sleep 3; touch /ready) & sleep 3600 & wait"]
    stop_grace_period: 1s
    healthcheck: { test: ["CMD", "sh", "-c", "test -f /ready"], interval: 1s, retries: 60 }
${SECOND.map(
  (s) =>
    `  ${s}:\n    image: ${BUSYBOX}\n    command: ${IDLE}\n    stop_grace_period: 1s\n    depends_on: { gate: { condition: service_healthy } }\n`,
).join("")}`;

/**
 * The CLI killed with SIGKILL (no cleanup of any kind runs) at four points. Afterwards `up -d` must
 * converge to exactly the desired state (each service once, running; one default network) and `down`
 * must leave nothing labelled with the project.
 */
describe.skipIf(!requireDocker())("berth killed with SIGKILL in the middle of up or down", () => {
  const projects: string[] = [];
  const dir = tempProject({ "compose.yaml": COMPOSE });
  afterAll(async () => {
    for (const project of projects) await removeProject(project);
    dir.cleanup();
  }, 120_000);

  /** Kills `berth ARGS` at the line `at`, checks what the kill left with `check`, then converges and downs. */
  async function killThenConverge(
    name: string,
    before: string[][],
    args: string[],
    at: RegExp,
    check: (left: Awaited<ReturnType<typeof projectState>>) => void,
  ): Promise<void> {
    const project = uniqueProject(`sigkill-${name}`);
    projects.push(project);
    const berth = berthIn(dir.dir, project);
    for (const step of before) {
      const run = await berth(step);
      expect(run.code, `berth ${step.join(" ")}:\n${run.stderr}`).toBe(0);
    }
    const killed = await killBerthAt(["-p", project, ...args], at, { cwd: dir.dir });
    expect(killed.killed, `never reached ${at}:\n${killed.stderr}`).toBe(true);
    check(await settledState(project));

    const up = await berth(["up", "-d"], 200_000);
    expect(up.code, `up after the kill:\n${up.stderr}`).toBe(0);
    expect(await projectState(project)).toEqual(convergedState(project, SERVICES));
    const down = await berth(["down"]);
    expect(down.code, `down:\n${down.stderr}`).toBe(0);
    expect(await projectState(project)).toEqual(EMPTY);
  }

  it.concurrent("during up, once the network is made", { timeout: 300_000 }, async () => {
    await killThenConverge("network", [], ["up", "-d"], /^Network \S+_default {2}Created/, (left) => {
      expect(left.networks).toHaveLength(1);
    });
  });

  it.concurrent("during up, half-way through creating the containers", { timeout: 300_000 }, async () => {
    await killThenConverge("create", [], ["up", "-d"], /-gate-1 {2}Waiting/, (left) => {
      // The gate holds the b services back: none of them exists, the first layer does.
      expect(left.containers.some((c) => /-gate-1 /.test(c))).toBe(true);
      expect(left.containers.filter((c) => /-b\d-1 /.test(c))).toEqual([]);
      expect(left.networks).toHaveLength(1);
    });
  });

  it.concurrent(
    "during up --force-recreate, after the first container is recreated",
    { timeout: 300_000 },
    async () => {
      await killThenConverge(
        "recreate",
        [["up", "-d"]],
        ["up", "-d", "--force-recreate"],
        /^Container \S+ {2}Recreated/,
        (left) => {
          // A recreate renames the old container aside before it makes the new one: some may be left so.
          expect(left.containers.length).toBeGreaterThanOrEqual(SERVICES.length);
        },
      );
    },
  );

  it.concurrent("during down, after the first container is removed", { timeout: 300_000 }, async () => {
    await killThenConverge("down", [["up", "-d"]], ["down"], /^Container \S+ {2}Removed/, (left) => {
      // Networks go last: the kill came before down got to them.
      expect(left.networks).toHaveLength(1);
      expect(left.containers.length).toBeLessThan(SERVICES.length);
    });
  });
});
