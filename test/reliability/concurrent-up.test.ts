import { afterAll, describe, expect, it } from "vitest";
import { BUSYBOX, requireDocker, uniqueProject } from "../helpers/docker.js";
import {
  EMPTY,
  IDLE,
  berthIn,
  convergedState,
  projectState,
  removeProject,
  tempProject,
} from "./fault-helpers.js";

const SERVICES = Array.from({ length: 8 }, (_, i) => `s${i + 1}`);
// Two layers, so that one process may be creating the second while another still starts the first.
const COMPOSE = `services:
${SERVICES.map(
  (s, i) => `  ${s}:
    image: ${BUSYBOX}
    command: ${IDLE}
    stop_grace_period: 1s${i >= 4 ? `\n    depends_on: [s${i - 3}]` : ""}
`,
).join("")}`;

/**
 * Three `berth up -d` of the same project at once. Berth takes no lock: convergence tolerates another
 * creator (a network made twice is reduced to one; a container name taken by an identical container is
 * adopted), so this also holds for processes on different hosts sharing one engine. All three succeed and
 * the engine ends with exactly one container per service and number, and one default network.
 */
describe.skipIf(!requireDocker())("concurrent up of one project", () => {
  const project = uniqueProject("concurrent");
  const dir = tempProject({ "compose.yaml": COMPOSE });
  const berth = berthIn(dir.dir, project);
  afterAll(async () => {
    await removeProject(project);
    dir.cleanup();
  }, 120_000);

  it("three processes at once make no duplicates and all exit 0", { timeout: 300_000 }, async () => {
    const runs = await Promise.all([1, 2, 3].map(() => berth(["up", "-d"], 200_000)));
    for (const run of runs) expect(run.code, `stderr:\n${run.stderr}`).toBe(0);
    expect(await projectState(project)).toEqual(convergedState(project, SERVICES));
    const down = await berth(["down"]);
    expect(down.code, down.stderr).toBe(0);
    expect(await projectState(project)).toEqual(EMPTY);
  });
});
