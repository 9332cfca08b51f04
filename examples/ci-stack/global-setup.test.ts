import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, docker, requireDocker } from "../../test/helpers/docker.js";
import { requireImages } from "../support/berth.js";

const config = fileURLToPath(new URL("vitest.config.ts", import.meta.url));
const IMAGES = ["postgres", "redis", "node"].map((name) => `berth-examples/${name}:latest`);

// The globalSetup example is a vitest run of its own: run it as a user would, and check it passed
// and removed its stack.
describe.skipIf(!requireDocker())("examples/ci-stack vitest globalSetup", () => {
  beforeAll(async () => {
    await requireImages([BUSYBOX, ...IMAGES]);
  });

  it("starts the stack once, runs the tests against its ports, and removes it", async () => {
    const before = new Set((await docker.listContainers({ all: true })).map((c) => c.Id));
    const { stdout } = await promisify(execFile)("pnpm", ["exec", "vitest", "run", "--config", config], {
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined },
      timeout: 240_000,
    });
    expect(stdout).toMatch(/Tests\s+2 passed/);
    const after = await docker.listContainers({ all: true, filters: { label: ["dev.berth.owner.pid"] } });
    const leftovers = after.filter(
      (c) => !before.has(c.Id) && c.Labels["com.docker.compose.service"] === "api",
    );
    expect(leftovers).toEqual([]);
  }, 300_000);
});
