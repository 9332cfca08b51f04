import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, docker, requireDocker } from "../../../../test/helpers/docker.js";
import { Labels } from "../base/labels.js";
import { startTestStack } from "./start-test-stack.js";
import type { TestStack } from "./test-stack.js";
import { Wait, type WaitStrategy, waitForContainer } from "./waits.js";

const COMPOSE = `
services:
  web:
    image: ${BUSYBOX}
    command: ["sh", "-c", "mkdir -p /www && echo hello > /www/index.html && echo ready && echo ready && exec httpd -f -p 80 -h /www"]
    ports: ["80"]
  idle:
    image: ${BUSYBOX}
    command: ["sleep", "300"]
    ports: ["9999"]
  healthy:
    image: ${BUSYBOX}
    command: ["sleep", "300"]
    healthcheck: { test: ["CMD", "true"], interval: 1s, start_period: 0s }
  starting:
    image: ${BUSYBOX}
    command: ["sleep", "300"]
    healthcheck: { test: ["CMD", "false"], interval: 60s, start_period: 60s }
  sick:
    image: ${BUSYBOX}
    command: ["sleep", "300"]
    healthcheck: { test: ["CMD-SHELL", "echo db down; exit 1"], interval: 1s, retries: 1 }
  job:
    image: ${BUSYBOX}
    command: ["sh", "-c", "echo migrated"]
  broken:
    image: ${BUSYBOX}
    command: ["sh", "-c", "echo 'cannot connect to db' >&2; exit 3"]
`;

const SHORT = 700;

describe.skipIf(!requireDocker())("wait strategies", () => {
  let dir: string;
  let stack: TestStack | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "berth-waits-"));
    writeFileSync(join(dir, "compose.yaml"), COMPOSE);
    stack = await startTestStack({
      cwd: dir,
      timeoutMs: 20_000,
      wait: {
        web: [Wait.forLogMessage(/ready/, 2), Wait.forPort(80), Wait.forHttp("/index.html", 80)],
        healthy: Wait.forHealthy(),
        job: Wait.forSuccessfulExit(),
      },
    });
  });

  afterAll(async () => {
    await stack?.down();
    rmSync(dir, { recursive: true, force: true });
  });

  async function waitOn(service: string, strategy: WaitStrategy): Promise<unknown> {
    const [c] = await docker.listContainers({
      all: true,
      filters: { label: [`${Labels.project}=${stack?.name}`, `${Labels.service}=${service}`] },
    });
    return waitForContainer(docker, { service, id: c.Id, name: c.Names[0].slice(1) }, strategy, SHORT).then(
      () => undefined,
      (err: unknown) => err,
    );
  }

  it("returned once every wait passed: the server answers, the job is done", async () => {
    const s = stack as TestStack;
    expect(await (await fetch(await s.url("web", 80, "/index.html"))).text()).toBe("hello\n");
    expect((await (await s.container("healthy")).inspect()).State.Health?.Status).toBe("healthy");
    expect((await (await s.container("job")).inspect()).State.ExitCode).toBe(0);
  });

  it.each([
    [
      "log message",
      "web",
      Wait.forLogMessage("never printed", 1),
      /log message never printed \(1 time\).*state: running.*0 of 1 matching lines/s,
    ],
    [
      "log message count",
      "web",
      Wait.forLogMessage(/ready/, 3),
      /log message \/ready\/ \(3 times\).*2 of 3 matching lines/s,
    ],
    [
      "port",
      "idle",
      Wait.forPort(9999),
      /port 9999\/tcp to accept connections.*last probe: 127\.0\.0\.1:\d+: /s,
    ],
    ["http", "web", Wait.forHttp("/missing", 80), /HTTP GET \/missing on port 80 to answer 200.*HTTP 404/s],
    ["healthy", "starting", Wait.forHealthy(), /healthcheck to report healthy.*state: running, starting/s],
    ["successful exit", "idle", Wait.forSuccessfulExit(), /container to exit with code 0.*state: running/s],
  ])("times out waiting for a %s, saying what it waited for", async (_kind, service, strategy, message) => {
    const err = (await waitOn(service, strategy)) as Error & { code: string };
    expect(err.code).toBe("WAIT_TIMEOUT");
    expect(err.message).toMatch(/^timed out after 0\.7s waiting for service/);
    expect(err.message).toMatch(message);
  });

  it("puts the last log lines in the timeout message", async () => {
    const err = (await waitOn("web", Wait.forLogMessage(/never/))) as Error;
    expect(err.message).toMatch(/last log lines:\nready\nready$/);
  });

  it("a strategy's own timeout wins over the default", async () => {
    const err = (await waitOn("idle", Wait.forSuccessfulExit().withTimeout(300))) as Error;
    expect(err.message).toMatch(/^timed out after 0\.3s/);
  });

  it("gives up at once when the wait can no longer succeed", async () => {
    const exit = (await waitOn("broken", Wait.forSuccessfulExit().withTimeout(20_000))) as Error & {
      code: string;
    };
    expect(exit.code).toBe("WAIT_FAILED");
    expect(exit.message).toMatch(/exited with code 3\nlast log lines:\ncannot connect to db$/);
    const noCheck = (await waitOn("idle", Wait.forHealthy().withTimeout(20_000))) as Error & { code: string };
    expect(noCheck.code).toBe("WAIT_FAILED");
    expect(noCheck.message).toMatch(/the service has no healthcheck/);
    const sick = (await waitOn("sick", Wait.forHealthy().withTimeout(20_000))) as Error & { code: string };
    expect(sick.code).toBe("WAIT_FAILED");
    expect(sick.message).toMatch(/: unhealthy: db down\n/);
  });
});
