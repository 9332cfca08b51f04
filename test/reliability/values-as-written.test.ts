import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBerth } from "../../packages/cli/src/e2e/harness.js";
import { removeProject } from "../../packages/cli/src/e2e/project-cleanup.js";
import { BUSYBOX, docker, requireDocker, uniqueProject } from "../helpers/docker.js";

/**
 * Plain numbers in `environment`, `labels` and the like reach the container as docker compose makes
 * them strings, never as the nearest JavaScript number: `9223372036854775807` (Confluent's all-in-one
 * files set such values) used to arrive as `9223372036854776000`.
 */
const compose = `
services:
  app:
    image: ${BUSYBOX}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    environment:
      RETENTION_MS: 9223372036854775807
      UINT64_MAX: 18446744073709551615
      NEGATIVE: -9223372036854775808
      PI: 3.14159265358979323846
      EXP: 1.5e10
      HEX: 0x1F
      LEADING_ZERO: 0755
      QUOTED: "1e3"
    labels:
      big: 9223372036854775807
`;

/** What docker compose passes for each (its config output, from the reference loader). */
const expected = {
  RETENTION_MS: "9223372036854775807",
  UINT64_MAX: "18446744073709551615",
  NEGATIVE: "-9223372036854775808",
  PI: "3.141592653589793",
  EXP: "1.5e+10",
  HEX: "31",
  LEADING_ZERO: "493",
  QUOTED: "1e3",
};

describe.skipIf(!requireDocker())("values reach the container as written", () => {
  const project = uniqueProject("values");
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "berth-values-"));
    writeFileSync(path.join(dir, "compose.yaml"), compose);
  });

  afterAll(async () => {
    await removeProject(project);
    rmSync(dir, { recursive: true, force: true });
  });

  it("in the container's configuration and in the environment its processes see", async () => {
    const up = await runBerth(["-p", project, "up", "-d"], { cwd: dir, timeoutMs: 60_000 });
    expect(up.code, up.stderr).toBe(0);

    const info = await docker.getContainer(`${project}-app-1`).inspect();
    const env = Object.fromEntries(
      info.Config.Env.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]),
    );
    for (const [name, value] of Object.entries(expected)) expect(env[name], name).toBe(value);
    expect(info.Config.Labels.big).toBe("9223372036854775807");

    const exec = await runBerth(["-p", project, "exec", "-T", "app", "env"], { cwd: dir });
    expect(exec.code, exec.stderr).toBe(0);
    for (const [name, value] of Object.entries(expected))
      expect(exec.stdout).toContain(`\n${name}=${value}\n`);
  }, 90_000);
});
