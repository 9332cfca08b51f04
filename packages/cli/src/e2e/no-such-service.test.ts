import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX } from "../../../../test/helpers/docker.js";
import { runBerth, tempProject } from "./harness.js";

/**
 * docker compose fails every command that names a service the project lacks with exit 1 and
 * `no such service: X`; clients (the npm docker-compose package) rely on it. The project is loaded before
 * the engine is reached, so no engine is needed.
 */
describe("a service that does not exist", () => {
  let made: ReturnType<typeof tempProject>;
  beforeAll(() => {
    made = tempProject({
      "compose.yaml": `services:\n  web:\n    image: ${BUSYBOX}\n  debug:\n    image: ${BUSYBOX}\n    profiles: [debug]\n`,
    });
  });
  afterAll(() => made.cleanup());

  const commands = [
    ["logs", "nosuch"],
    ["logs", "-f", "web", "nosuch"],
    ["ps", "nosuch"],
    ["exec", "nosuch", "true"],
    ["run", "nosuch"],
    ["up", "-d", "nosuch"],
    ["create", "nosuch"],
    ["start", "nosuch"],
    ["stop", "nosuch"],
    ["restart", "nosuch"],
    ["kill", "nosuch"],
    ["pause", "nosuch"],
    ["unpause", "nosuch"],
    ["rm", "-f", "nosuch"],
    ["top", "nosuch"],
    ["images", "nosuch"],
    ["port", "nosuch", "80"],
    ["wait", "nosuch"],
    ["events", "nosuch"],
    ["cp", "nosuch:/etc/hostname", "."],
    ["build", "nosuch"],
    ["pull", "nosuch"],
    ["push", "nosuch"],
    ["attach", "nosuch"],
    ["commit", "nosuch"],
    ["export", "nosuch"],
    ["stats", "--no-stream", "nosuch"],
    ["volumes", "nosuch"],
    ["scale", "nosuch=2"],
  ];

  it.each(commands)("%s … exits 1 with `no such service: nosuch`", async (...args) => {
    // A project name no engine knows: nothing may be created or touched.
    const r = await runBerth(["-p", "berth-test-no-such-service", ...args], { cwd: made.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: no such service: nosuch\n");
    expect(r.stdout).toBe("");
  });

  it("accepts a service of an inactive profile, which naming it enables", async () => {
    const r = await runBerth(["-p", "berth-test-no-such-service", "logs", "debug"], {
      cwd: made.dir,
      env: { DOCKER_HOST: "unix:///nonexistent/docker.sock" },
    });
    // It gets past the check and on to the engine, which this test keeps out of reach.
    expect(r.stderr).not.toContain("no such service");
    expect(r.stderr).toContain("cannot reach the Docker engine");
  });
});
