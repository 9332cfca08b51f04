import type { ServiceConfig } from "@berth/compose-schema";
import { ContainerExitedError, EngineErrorCodes, up } from "@berth/engine";
import { afterAll, describe, expect, it } from "vitest";
import { docker, requireDocker, uniqueProject } from "../helpers/docker.js";
import { cleanup, makeProject } from "./project.js";

// docker compose up --wait exits 1 when a one-shot job nobody depends on has exited, even with code 0
// (compose issue 10596). Berth counts a job that finished with 0, and that no restart policy restarts, as done.
/** web starts after db's first healthcheck (1s): by then, when --wait looks, the jobs have exited. */
const gated: Omit<ServiceConfig, "image">[] = [
  { name: "db", healthcheck: { test: ["CMD", "true"], interval: "1s" } },
  { name: "web", depends_on: { db: { condition: "service_healthy", required: true } } },
];

describe.skipIf(!requireDocker())("up --wait with one-shot services", () => {
  const ok = uniqueProject("oneshot-ok");
  const failing = uniqueProject("oneshot-fail");
  afterAll(async () => {
    await cleanup(ok);
    await cleanup(failing);
  });

  it("treats a job that exited 0, with no service depending on it, as done", async () => {
    const project = makeProject(ok, [
      ...gated,
      { name: "migrate", command: ["sh", "-c", "echo migrated"] },
      { name: "seed", command: ["sh", "-c", "exit 0"], restart: "on-failure" },
    ]);
    const events: string[] = [];
    await up(docker, project, { wait: true, waitTimeoutMs: 30_000 }, (e) => {
      if (e.kind === "container" && e.status === "done") events.push(`${e.service} ${e.action}`);
    });
    expect(events).toEqual(expect.arrayContaining(["migrate Exited", "seed Exited", "web Running"]));
  });

  it("fails for a non-zero exit, naming the service, its exit code and its last log lines", async () => {
    const project = makeProject(failing, [
      ...gated,
      {
        name: "migrate",
        command: ["sh", "-c", "echo 'applying 0042'; echo 'relation users exists' >&2; exit 3"],
      },
    ]);
    const error = await up(docker, project, { wait: true, waitTimeoutMs: 30_000 }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(ContainerExitedError);
    const exited = error as ContainerExitedError;
    expect(exited.code).toBe(EngineErrorCodes.containerExited);
    expect(exited.message).toContain("service migrate failed");
    expect(exited.message).toContain("exited with code 3");
    // The engine keeps no order between stdout and stderr.
    expect(exited.detail?.split("\n").sort()).toEqual(["applying 0042", "relation users exists"]);
  });
});
