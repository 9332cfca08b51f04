import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BUSYBOX, requireDocker } from "../../test/helpers/docker.js";
import { requireImages, runningServices, useExample } from "../support/berth.js";

const dir = fileURLToPath(new URL(".", import.meta.url));
const ALL_PROFILES = ["--profile", "debug", "--profile", "monitoring", "--profile", "tools"];

describe.skipIf(!requireDocker())("examples/profiles", () => {
  const example = useExample(dir, "profiles", { downArgs: ALL_PROFILES });

  it("starts only the services without a profile by default", async () => {
    await requireImages([BUSYBOX]);
    await example.ok(["up", "-d", "--wait"]);
    expect(await runningServices(example.project)).toEqual(["app"]);
  });

  it("adds the services of the profiles enabled by --profile or COMPOSE_PROFILES", async () => {
    await example.ok(["--profile", "monitoring", "up", "-d", "--wait"]);
    expect(await runningServices(example.project)).toEqual(["app", "metrics"]);
    await example.ok(["up", "-d", "--wait"], { env: { COMPOSE_PROFILES: "debug" } });
    expect(await runningServices(example.project)).toEqual(["app", "debugger", "metrics"]);
  });

  it("runs a service of a disabled profile as a one-off with run", async () => {
    const { stdout } = await example.ok(["run", "--rm", "-T", "seed"]);
    expect(stdout).toContain("seeded");
    expect(await runningServices(example.project)).toEqual(["app", "debugger", "metrics"]);
  });
});
