import { EngineErrorCodes, NetworkInUseError, down, up } from "@berth/engine";
import { afterAll, describe, expect, it } from "vitest";
import { BUSYBOX, docker, requireDocker, uniqueProject } from "../helpers/docker.js";
import { SLEEPER, cleanup, makeProject } from "./project.js";

// docker compose down prints "Resource is still in use" for a network another container holds, names
// no container and exits 0. Berth names the container and the command to free the network, removes
// everything else, and fails at the end.
describe.skipIf(!requireDocker())("down explains busy networks", () => {
  const name = uniqueProject("busynet");
  const network = `${name}_default`;
  const outsider = `${name}-other-1`;
  afterAll(async () => {
    await docker
      .getContainer(outsider)
      .remove({ force: true })
      .catch(() => undefined);
    await cleanup(name);
  });

  it("names the container outside the project, disconnects nothing and removes the rest", async () => {
    const project = makeProject(
      name,
      [{ name: "web", volumes: [{ type: "volume", source: "data", target: "/data" }] }],
      { volumes: { data: { name: `${name}_data` } } },
    );
    await up(docker, project);
    const other = await docker.createContainer({
      name: outsider,
      Image: BUSYBOX,
      Cmd: SLEEPER,
      HostConfig: { NetworkMode: network },
    });
    await other.start();

    const error = await down(docker, name, { project, volumes: true, timeoutSeconds: 1 }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(NetworkInUseError);
    expect((error as NetworkInUseError).code).toBe(EngineErrorCodes.networkInUse);
    expect((error as Error).message).toBe(
      `network ${network} is still used by container ${outsider} (not part of this project): stop it or disconnect it with docker network disconnect ${network} ${outsider}, then run berth down again`,
    );

    const attached = (await other.inspect()).NetworkSettings.Networks;
    expect(Object.keys(attached)).toEqual([network]);
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`com.docker.compose.project=${name}`] },
    });
    expect(left).toEqual([]);
    await expect(docker.getVolume(`${name}_data`).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });
});
