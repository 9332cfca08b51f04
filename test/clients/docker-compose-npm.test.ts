import { chmodSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as compose from "docker-compose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BERTH_BIN, tempProject } from "../../packages/cli/src/e2e/harness.js";
import { removeProject } from "../../packages/cli/src/e2e/project-cleanup.js";
import { BUSYBOX, requireDocker, uniqueProject } from "../helpers/docker.js";
import { freePort } from "../helpers/ports.js";

/**
 * The npm `docker-compose` package (PDMLab's), the client its users run against docker compose v2,
 * driven against Berth: a `docker` first on PATH runs `berth` for `docker compose …`, so the package
 * spawns and parses exactly what it would with docker compose.
 */
describe.skipIf(!requireDocker())("the npm docker-compose client against Berth", () => {
  const project = uniqueProject("npm-client");
  let made: ReturnType<typeof tempProject>;
  let options: compose.IDockerComposeOptions;
  const ports = { low: 0, high: 0 };

  beforeAll(async () => {
    const [a, b] = [await freePort(), await freePort()];
    ports.low = Math.min(a, b);
    ports.high = Math.max(a, b);
    made = tempProject({
      // The higher port first: the client must read them in ascending order anyway.
      "docker-compose.yml": `services:
  web:
    image: ${BUSYBOX}
    command: ["sh", "-c", "echo ready; trap 'exit 0' TERM; sleep 3600 & wait"]
    ports: ["${ports.high}:${ports.high}", "${ports.low}:${ports.low}"]
    stop_grace_period: 1s
`,
      docker: `#!/bin/sh
# Only \`docker compose\` is Berth's; the client calls nothing else.
[ "$1" = compose ] || { echo "docker shim: only docker compose is forwarded" >&2; exit 127; }
shift
exec "${process.execPath}" -- "${BERTH_BIN}" "$@"
`,
    });
    chmodSync(path.join(made.dir, "docker"), 0o755);
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${made.dir}:${process.env.PATH ?? ""}` };
    for (const name of ["CI", "FORCE_COLOR", "NO_COLOR"]) delete env[name];
    options = { cwd: made.dir, composeOptions: [["-p", project]], env };
  });

  afterAll(async () => {
    try {
      await removeProject(project);
    } finally {
      made?.cleanup();
    }
  }, 60_000);

  it("upAll starts the project", async () => {
    const result = await compose.upAll(options);
    expect(result.exitCode).toBe(0);
  }, 60_000);

  it("ps, as JSON and as a table, gives the container with its ports in ascending order", async () => {
    for (const commandOptions of [[["--format", "json"]], []]) {
      const { data } = await compose.ps({ ...options, commandOptions });
      expect(data.services).toHaveLength(1);
      const [web] = data.services;
      expect(web.name).toBe(`${project}-web-1`);
      expect(web.state).toMatch(/running|Up/);
      const v4 = web.ports.filter((p) => p.mapped?.address === "0.0.0.0");
      expect(v4).toEqual([
        { exposed: { port: ports.low, protocol: "tcp" }, mapped: { port: ports.low, address: "0.0.0.0" } },
        { exposed: { port: ports.high, protocol: "tcp" }, mapped: { port: ports.high, address: "0.0.0.0" } },
      ]);
    }
  });

  it("logs of a service that does not exist fails with exit 1 and compose's message", async () => {
    const failure = await compose.logs("non_existent_service", options).then(
      () => undefined,
      (result: compose.IDockerComposeResult) => result,
    );
    expect(failure?.exitCode).toBe(1);
    expect(failure?.err).toContain("no such service: non_existent_service");
    const logs = await compose.logs("web", options);
    expect(logs.out).toContain("ready");
  });

  it("exec runs in the container; into a paused one it fails with the engine's 'is paused'", async () => {
    expect((await compose.exec("web", "echo hi", options)).out).toBe("hi\n");
    await compose.pauseOne("web", options);
    try {
      const failure = await compose.exec("web", "echo hi", options).then(
        () => undefined,
        (result: compose.IDockerComposeResult) => result,
      );
      expect(failure?.exitCode).toBe(1);
      expect(failure?.err).toContain("is paused");
      // As with docker compose, up does not silently accept a paused container.
      const up = await compose.upAll(options).then(
        () => undefined,
        (result: compose.IDockerComposeResult) => result,
      );
      expect(up?.err).toContain("cannot start a paused container, try unpause instead");
    } finally {
      await compose.unpauseOne("web", options);
    }
    expect((await compose.exec("web", "echo hi", options)).out).toBe("hi\n");
  }, 60_000);

  it("accepts the global --verbose, and images reads the image of the container", async () => {
    const verbose = await compose.exec("web", "echo hi", {
      ...options,
      composeOptions: [["-p", project], "--verbose"],
    });
    expect(verbose.out).toBe("hi\n");
    expect(verbose.err).toContain("debug: engine");
    const { data } = await compose.images(options);
    expect(data.services).toEqual([
      expect.objectContaining({
        container: `${project}-web-1`,
        repository: "berth-examples/busybox",
        tag: "latest",
        platform: expect.stringMatching(/^linux\//),
      }),
    ]);
  });

  it("buildAll with parallel passes compose's deprecated build --parallel, which is accepted", async () => {
    expect((await compose.buildAll({ ...options, parallel: true })).exitCode).toBe(0);
  });

  it("downAll removes the project", async () => {
    expect((await compose.downAll(options)).exitCode).toBe(0);
    const { data } = await compose.ps({ ...options, commandOptions: [["--format", "json"], "-a"] });
    expect(data.services).toEqual([]);
  }, 60_000);
});
