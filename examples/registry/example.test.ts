import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, docker, requireDocker } from "../../test/helpers/docker.js";
import { freePort, requireImages, useExample } from "../support/berth.js";

const dir = fileURLToPath(new URL(".", import.meta.url));
const script = join(dir, "registry.sh");

describe.skipIf(!requireDocker())("examples/registry", () => {
  const registryDir = mkdtempSync(join(tmpdir(), "berth-example-registry-"));
  let registry = "";
  const example = useExample(dir, "registry", { env: () => ({ REGISTRY: registry }) });
  const image = () => `${registry}/berth-examples/hello:latest`;

  beforeAll(async () => {
    await requireImages([BUSYBOX]);
    registry = `127.0.0.1:${await freePort()}`;
    execFileSync(script, ["start", registry.split(":")[1]], {
      env: { ...process.env, REGISTRY_DIR: registryDir },
    });
  });

  afterAll(async () => {
    await docker
      .getImage(image())
      .remove({ force: true })
      .catch(() => undefined);
    execFileSync(script, ["stop"], { env: { ...process.env, REGISTRY_DIR: registryDir } });
    rmSync(registryDir, { recursive: true, force: true });
  });

  it("builds and pushes an image, and pulls it back after it was removed locally", async () => {
    await example.ok(["build"]);
    const pushedId = (await docker.getImage(image()).inspect()).Id;
    await example.ok(["push"]);
    const tags = await (await fetch(`http://${registry}/v2/berth-examples/hello/tags/list`)).json();
    expect(tags).toEqual({ name: "berth-examples/hello", tags: ["latest"] });

    await docker.getImage(image()).remove({ force: true });
    await expect(docker.getImage(image()).inspect()).rejects.toThrow();
    await example.ok(["pull"]);
    expect((await docker.getImage(image()).inspect()).Id).toBe(pushedId);

    const run = await example.ok(["run", "--rm", "hello"]);
    expect(run.stdout).toContain("hello through the registry");
  });
});
