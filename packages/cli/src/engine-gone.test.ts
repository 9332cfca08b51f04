import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ComposeError } from "@berth/compose-schema";
import { EngineErrorCodes, EngineUnreachableError, ServiceFailedError } from "@berth/engine";
import { afterAll, describe, expect, it } from "vitest";
import { requireDocker } from "../../../test/helpers/docker.js";
import { explainEngineGone } from "./engine-gone.js";
import { CliError } from "./errors.js";

describe("explainEngineGone", () => {
  // A socket path where no engine listens: what DOCKER_HOST points at once dockerd has stopped.
  const dir = mkdtempSync(path.join(tmpdir(), "berth-gone-"));
  const gone = { DOCKER_HOST: `unix://${path.join(dir, "docker.sock")}` };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("names the engine when an engine error came from an engine that no longer answers", async () => {
    const lost = Object.assign(new Error("connect ECONNREFUSED /run/x.sock"), { code: "ECONNREFUSED" });
    const failure = new ServiceFailedError("web", "starting container p-web-1: socket hang up", {
      cause: lost,
    });
    const explained = await explainEngineGone(failure, gone);
    expect(explained).toBeInstanceOf(EngineUnreachableError);
    expect((explained as EngineUnreachableError).code).toBe(EngineErrorCodes.engineUnreachable);
    expect((explained as Error).message).toBe(
      `cannot reach the Docker engine at ${gone.DOCKER_HOST}: is dockerd running?`,
    );
  });

  it("leaves loader and usage errors alone, engine or not", async () => {
    const loader = new ComposeError("COMPOSE_NOT_FOUND", "no compose file found");
    const usage = new CliError("CLI_USAGE", "bad flag", { exitCode: 2 });
    expect(await explainEngineGone(loader, gone)).toBe(loader);
    expect(await explainEngineGone(usage, gone)).toBe(usage);
  });

  it.skipIf(!requireDocker())("leaves the error alone while the engine answers", async () => {
    // A refused connection to a published port (a wait's probe) is not the engine going away.
    const probe = new ServiceFailedError("web", "connect ECONNREFUSED 127.0.0.1:8080");
    expect(await explainEngineGone(probe, {})).toBe(probe);
  });
});
