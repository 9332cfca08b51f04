import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, requireDocker } from "../../test/helpers/docker.js";
import { requireImages, useExample } from "../support/berth.js";

const dir = fileURLToPath(new URL(".", import.meta.url));
const IMAGES = ["postgres", "redis", "node"].map((name) => `berth-examples/${name}:latest`);
const CI_RUN = ["up", "--abort-on-container-exit", "--exit-code-from", "tests"];

describe.skipIf(!requireDocker())("examples/ci-stack", () => {
  const example = useExample(dir, "ci-stack");

  beforeAll(async () => {
    await requireImages([BUSYBOX, ...IMAGES]);
  });

  it("exits 0 when the tests service passes", async () => {
    const result = await example.run(CI_RUN, { timeoutMs: 300_000 });
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(0);
    expect(output).toContain("ok - the visit counter in PostgreSQL goes up by one");
    expect(output).not.toContain("not ok");
  }, 300_000);

  it("exits with the tests service's code when it fails", async () => {
    const result = await example.run(CI_RUN, { env: { EXPECT_GREETING: "wrong" }, timeoutMs: 300_000 });
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(1);
    expect(output).toContain("not ok - greets with wrong");
  }, 300_000);
});
