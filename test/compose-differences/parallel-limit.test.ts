import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, docker, requireDocker, uniqueProject } from "../helpers/docker.js";
import { SLEEPER } from "../helpers/project.js";
import { requireBuiltCli, runBerth, tempDir } from "./berth-process.js";
import { cleanup } from "./project.js";

// Issue #9 item 8: `--parallel N` and COMPOSE_PARALLEL_LIMIT cap the engine operations in flight.
// Seen from the engine: a container's `Created` is stamped when its create begins and its
// `State.StartedAt` while its start runs, so [Created, StartedAt] lies inside the time Berth spent on
// that container's create-then-start. With at most N of those at once, no instant is inside more than
// N such intervals, however slow the engine is. Without a limit, creates all begin together.
const SERVICES = 6;

/** RFC 3339 with nanoseconds, as the engine writes it, to microseconds since the epoch. */
function micros(time: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(time);
  if (!m) throw new Error(`unexpected engine time ${time}`);
  return Date.parse(`${m[1]}Z`) * 1000 + Number((m[2] ?? "").padEnd(6, "0").slice(0, 6));
}

/** The most [Created, StartedAt] intervals of the project's containers that share an instant. */
async function maxOverlap(project: string): Promise<number> {
  const list = await docker.listContainers({
    all: true,
    filters: { label: [`com.docker.compose.project=${project}`] },
  });
  expect(list).toHaveLength(SERVICES);
  const edges: [number, number][] = [];
  for (const c of list) {
    const info = await docker.getContainer(c.Id).inspect();
    edges.push([micros(info.Created), 1], [micros(info.State.StartedAt), -1]);
  }
  // At the same microsecond an end counts before a start: touching is not overlapping.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, delta] of edges) {
    now += delta;
    most = Math.max(most, now);
  }
  return most;
}

describe.skipIf(!requireDocker())("one parallel limit for creates and starts", () => {
  const projects: string[] = [];
  let dir: ReturnType<typeof tempDir>;
  beforeAll(() => {
    requireBuiltCli();
    const services = Array.from(
      { length: SERVICES },
      (_, i) => `  s${i + 1}:
    image: ${BUSYBOX}
    command: ${JSON.stringify(SLEEPER)}
    stop_grace_period: 1s
`,
    );
    dir = tempDir({ "compose.yaml": `services:\n${services.join("")}` });
  });
  afterAll(async () => {
    for (const p of projects) await cleanup(p);
    dir?.cleanup();
  });

  async function upOverlap(globalArgs: string[], env: Record<string, string> = {}): Promise<number> {
    const project = uniqueProject("parallel");
    projects.push(project);
    const up = await runBerth([...globalArgs, "-p", project, "up", "-d"], dir.dir, env);
    expect(up.code, up.stderr).toBe(0);
    return maxOverlap(project);
  }

  // The three projects go up together to save time; each process has its own limit, and the measure
  // is per project, so one does not change what another proves.
  let overlap: { flag: number; env: number; unlimited: number };
  beforeAll(async () => {
    const [flag, env, unlimited] = await Promise.all([
      upOverlap(["--parallel", "2"]),
      upOverlap([], { COMPOSE_PARALLEL_LIMIT: "2" }),
      upOverlap([]),
    ]);
    overlap = { flag, env, unlimited };
  }, 120_000);

  it("--parallel 2: at most 2 containers are being created or started at once", () => {
    expect(overlap.flag).toBeLessThanOrEqual(2);
  });

  it("COMPOSE_PARALLEL_LIMIT=2: the same cap", () => {
    expect(overlap.env).toBeLessThanOrEqual(2);
  });

  it("with the default limit (16), more than 2 overlap: the measure can see a missing cap", () => {
    expect(overlap.unlimited).toBeGreaterThan(2);
  });
});
