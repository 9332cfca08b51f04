import type Docker from "dockerode";
import { afterAll, describe, expect, it } from "vitest";
import { docker, leftovers, requireDocker, uniqueProject } from "../../../../test/helpers/docker.js";
import { makeProject } from "../../../../test/helpers/project.js";
import { AbortedError } from "../base/errors.js";
import { Labels } from "../base/labels.js";
import { down } from "./down.js";
import { up } from "./up.js";

async function hooks(project: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({
    all: true,
    filters: { label: [`${Labels.project}=${project}`, `${Labels.hook}=pre_start`] },
  });
}

describe.skipIf(!requireDocker())("pre_start hooks on the engine", () => {
  const name = uniqueProject("pre-start-abort");
  afterAll(async () => {
    await down(docker, name, { volumes: true, timeoutSeconds: 0 }).catch(() => undefined);
  });

  it("stops waiting for a hook on abort, removing it, and up ends with AbortedError", async () => {
    const project = makeProject(name, [{ name: "app", pre_start: [{ command: ["sleep", "3600"] }] }]);
    const controller = new AbortController();
    const started = Date.now();
    const result = up(docker, project, { signal: controller.signal }).then(
      () => undefined,
      (err: unknown) => err,
    );
    // Abort once the hook runs.
    while ((await hooks(name)).filter((c) => c.State === "running").length === 0) {
      if (Date.now() - started > 30_000) throw new Error("the hook never started");
      await new Promise((r) => setTimeout(r, 100));
    }
    controller.abort();
    const aborted = Date.now();
    expect(await result).toBeInstanceOf(AbortedError);
    expect(Date.now() - aborted).toBeLessThan(5_000);
    expect(await hooks(name)).toEqual([]);
    await down(docker, name, { timeoutSeconds: 0 });
    expect(await leftovers(name)).toEqual([]);
  });
});
