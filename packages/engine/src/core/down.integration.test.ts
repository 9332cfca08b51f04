import type { Project, ServiceConfig } from "@berth/compose-schema";
import { afterAll, describe, expect, it } from "vitest";
import { BUSYBOX, docker, requireDocker, uniqueProject } from "../../../../test/helpers/docker.js";
import type { EngineEvent } from "../base/events.js";
import { Labels } from "../base/labels.js";
import { defaultImageName } from "../base/names.js";
import { down } from "./down.js";
import { up } from "./up.js";

const LOOP = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"];

function makeProject(name: string, services: ServiceConfig[]): Project {
  return {
    name,
    workingDir: "/tmp",
    configFiles: [],
    profiles: [],
    environment: {},
    services: Object.fromEntries(
      services.map((s) => [s.name, { command: LOOP, stop_grace_period: "1s", ...s }]),
    ),
    disabledServices: {},
    networks: { default: { name: `${name}_default` } },
    volumes: {},
    secrets: {},
    configs: {},
  };
}

const services = async (project: string) =>
  (await docker.listContainers({ all: true, filters: { label: [`${Labels.project}=${project}`] } }))
    .map((c: { Labels: Record<string, string> }) => c.Labels[Labels.service])
    .sort();

describe.skipIf(!requireDocker())("down", () => {
  const name = uniqueProject("down");
  const localImage = defaultImageName(name, "built");
  afterAll(async () => {
    await down(docker, name, { volumes: true, timeoutSeconds: 0 }).catch(() => undefined);
    await docker
      .getImage(localImage)
      .remove()
      .catch(() => undefined);
  });

  it("keeps orphans unless asked, and removes the project's local images with rmi local", async () => {
    // Stands in for an image built for a service without `image:`.
    await docker.getImage(BUSYBOX).tag({ repo: localImage, tag: "latest" });
    const full = makeProject(name, [{ name: "built" }, { name: "old", image: BUSYBOX }]);
    await up(docker, full, { build: "never" });
    expect(await services(name)).toEqual(["built", "old"]);

    const current = makeProject(name, [{ name: "built" }]);
    await down(docker, name, { project: current, timeoutSeconds: 1 });
    expect(await services(name)).toEqual(["old"]);

    await up(docker, current, { build: "never" });
    await down(docker, name, { project: current, removeOrphans: true, rmi: "local", timeoutSeconds: 1 });
    expect(await services(name)).toEqual([]);
    await expect(docker.getImage(localImage).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect((await docker.getImage(BUSYBOX).inspect()).Id).toMatch(/^sha256:/);
  });
});

describe.skipIf(!requireDocker())("down under the parallel limit", () => {
  const name = uniqueProject("down-parallel");
  afterAll(() => down(docker, name, { timeoutSeconds: 0 }).catch(() => undefined));

  it("stops and removes no more containers at once than --parallel", async () => {
    const project = makeProject(
      name,
      ["a", "b", "c", "d"].map((s) => ({ name: s, image: BUSYBOX })),
    );
    await up(docker, project, { build: "never" });
    const events: EngineEvent[] = [];
    await down(docker, name, { project, timeoutSeconds: 1, parallel: 2 }, (e) => events.push(e));
    let busy = 0;
    let most = 0;
    for (const e of events.filter((e) => e.kind === "container")) {
      if (e.action === "Stopping") busy++;
      if (e.action === "Removed") busy--;
      most = Math.max(most, busy);
    }
    expect(events.filter((e) => e.action === "Removed" && e.kind === "container")).toHaveLength(4);
    expect(most).toBe(2);
  });
});
