import { afterAll, describe, expect, it } from "vitest";
import { BUSYBOX, docker, requireDocker, uniqueProject } from "../../../../test/helpers/docker.js";
import { Labels } from "../base/labels.js";
import { adoptContainer, createNetworkShared, dedupeNetwork, isNameConflict } from "./concurrent.js";

const named = async (name: string) =>
  (await docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name);

describe.skipIf(!requireDocker())("convergence beside a concurrent creator", () => {
  const project = uniqueProject("concurrent-engine");
  afterAll(async () => {
    const filters = { label: [`${Labels.project}=${project}`] };
    for (const c of await docker.listContainers({ all: true, filters }))
      await docker.getContainer(c.Id).remove({ force: true });
    for (const n of await docker.listNetworks({ filters: { name: [project] } }))
      await docker.getNetwork(n.Id).remove();
  });

  it("dedupeNetwork keeps the oldest of networks sharing a name", async () => {
    const raw = `${project}_raw`;
    const options = { Name: raw, CheckDuplicate: false, Labels: { [Labels.project]: project } };
    // What two racing creators leave (the engine's duplicate check races), made deterministically.
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await docker.createNetwork(options)).id);
    expect(await named(raw)).toHaveLength(3);
    await dedupeNetwork(docker, raw);
    expect((await named(raw)).map((n) => n.Id)).toEqual([ids[0]]);
  });

  it("createNetworkShared called three times at once leaves one network", async () => {
    const shared = `${project}_default`;
    const options = { Name: shared, CheckDuplicate: true, Labels: { [Labels.project]: project } };
    await Promise.all([1, 2, 3].map(() => createNetworkShared(docker, options)));
    expect(await named(shared)).toHaveLength(1);
  });

  it("keeps the network a container is attached to, even when it is the younger one", async () => {
    const name = `${project}_attached`;
    const older = await docker.createNetwork({ Name: name, Labels: { [Labels.project]: project } });
    const younger = await docker.createNetwork({ Name: name, Labels: { [Labels.project]: project } });
    // Connected by ID: by name, the engine refuses an ambiguous one.
    const container = await docker.createContainer({
      Image: BUSYBOX,
      Cmd: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"],
      Labels: { [Labels.project]: project },
    });
    await container.start();
    await docker.getNetwork(younger.id).connect({ Container: container.id });
    await dedupeNetwork(docker, name);
    expect((await named(name)).map((n) => n.Id)).toEqual([younger.id]);
    expect(older.id).not.toBe(younger.id);
    await container.remove({ force: true });
  });

  it("adopts a container of the same name only when it is the same container", async () => {
    const labels = {
      [Labels.project]: project,
      [Labels.service]: "web",
      [Labels.containerNumber]: "1",
      [Labels.configHash]: "abc",
    };
    const name = `${project}-web-1`;
    const first = await docker.createContainer({ name, Image: BUSYBOX, Cmd: ["true"], Labels: labels });
    const second = await docker.createContainer({ name, Image: BUSYBOX, Cmd: ["true"], Labels: labels }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isNameConflict(second)).toBe(true);
    expect(await adoptContainer(docker, name, labels)).toEqual({ id: first.id, name });
    expect(await adoptContainer(docker, name, { ...labels, [Labels.configHash]: "other" })).toBeUndefined();
  });
});
