import { afterAll, describe, expect, it } from "vitest";
import { BUSYBOX, projectResources, requireDocker, uniqueProject } from "../../../../test/helpers/docker.js";
import { runBerth, tempProject } from "./harness.js";
import { removeProject } from "./project-cleanup.js";

/**
 * The global flags after the command's name mean what they mean before it: the same project, brought
 * up the same way, from a directory whose compose file sets no name (so only `-p` can name it).
 */
describe.skipIf(!requireDocker())("global flags after the command's name", () => {
  const project = uniqueProject("global-flags");
  const dir = tempProject({
    "compose.yaml": `services:\n  web:\n    image: ${BUSYBOX}\n    command: ["sleep", "3600"]\n    stop_grace_period: 1s\n`,
  });
  const berth = (args: string[]) => runBerth(args, { cwd: dir.dir });
  const state = async () => (await projectResources(project)).containers;

  afterAll(async () => {
    await removeProject(project);
    dir.cleanup();
  });

  it("`-p X up -d` and `up -d -p X --progress quiet` make the same project; down takes them after too", async () => {
    const before = await berth(["-p", project, "up", "-d"]);
    expect(before.code, before.stderr).toBe(0);
    const upBefore = await state();
    expect(upBefore).toEqual([{ name: `${project}-web-1`, state: "running" }]);
    expect((await berth(["down", "-p", project])).code).toBe(0);
    expect(await state()).toEqual([]);

    const after = await berth(["up", "-d", "-p", project, "--progress", "quiet"]);
    expect(after.code, after.stderr).toBe(0);
    expect(await state()).toEqual(upBefore);
    // --progress quiet reached up: none of the progress lines the first up printed.
    expect(before.stderr).toContain(`Container ${project}-web-1`);
    expect(after.stderr).toBe("");
    expect(after.stdout).toBe("");
    const down = await berth(["down", "--progress", "quiet", "-p", project]);
    expect([down.code, down.stderr]).toEqual([0, ""]);
    expect(await state()).toEqual([]);
  });
});
