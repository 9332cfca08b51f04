import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BUSYBOX, requireDocker } from "../../test/helpers/docker.js";
import { requireImages, useExample } from "../support/berth.js";

const dir = fileURLToPath(new URL(".", import.meta.url));

/** `env` output as a map. */
const parseEnv = (text: string) =>
  Object.fromEntries(
    text
      .split("\n")
      .filter((line) => line.includes("="))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );

describe.skipIf(!requireDocker())("examples/env", () => {
  const example = useExample(dir, "env");

  it("gives the container env_file, environment and interpolated values", async () => {
    await requireImages([BUSYBOX]);
    await example.ok(["up", "-d", "--wait"]);
    const env = parseEnv((await example.ok(["exec", "-T", "app", "env"])).stdout);
    expect(env).toMatchObject({
      GREETING: "hello-from-dotenv",
      TARGET: "world",
      MODE: "development",
      PRICE: "$5",
      APP_COLOR: "green",
      LOG_LEVEL: "debug",
    });
  });

  it("lets the shell's variables win over .env and defaults", async () => {
    const { stdout } = await example.ok(["config"], { env: { GREETING: "from-shell", TARGET: "mars" } });
    expect(stdout).toContain("GREETING: from-shell");
    expect(stdout).toContain("TARGET: mars");
  });

  it("refuses to run without a required variable, with its message", async () => {
    const result = await example.run(["config"], { env: { APP_MODE: "" } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("APP_MODE must be set, see .env");
  });
});
