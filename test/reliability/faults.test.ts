import { mkdirSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, requireDocker, uniqueProject } from "../helpers/docker.js";
import {
  EMPTY,
  IDLE,
  STACK_FRAME,
  berthIn,
  errorLines,
  projectState,
  removeProject,
  tempProject,
} from "./fault-helpers.js";

/**
 * The error matrix of issue 7: six ways a service fails on `up --wait`. Each must end the real CLI with
 * exit code 1 and one `error:` line naming the service, and `down` must then leave nothing labelled with
 * the project. `--wait` is what turns a container's fate into the command's result (without it, compose
 * and Berth return once containers are started).
 */
interface Fault {
  name: string;
  service: string;
  /** The compose file; PORT is replaced by the port a listener of this test holds. */
  compose: string;
  /** Files beside compose.yaml. */
  files?: Record<string, string>;
  /** What the error line says besides the service. */
  says: RegExp;
}

const FAULTS: Fault[] = [
  {
    name: "a container that exits at once",
    service: "job",
    compose: `services:
  job:
    image: ${BUSYBOX}
    command: ["sh", "-c", "echo 'cannot open config'; exit 3"]
`,
    says: /exited with code 3/,
  },
  {
    name: "a crash loop under restart: always",
    service: "crashy",
    compose: `services:
  crashy:
    image: ${BUSYBOX}
    restart: always
    command: ["sh", "-c", "echo 'crashing'; exit 1"]
`,
    says: /crash loop \(restarted \d+ times, last exit code 1\)/,
  },
  {
    name: "a healthcheck that never passes",
    service: "sick",
    compose: `services:
  sick:
    image: ${BUSYBOX}
    command: ${IDLE}
    stop_grace_period: 1s
    healthcheck: { test: ["CMD", "sh", "-c", "echo 'not ready'; exit 1"], interval: 1s, retries: 2 }
`,
    says: /unhealthy: not ready/,
  },
  {
    name: "a port already taken",
    service: "web",
    compose: `services:
  web:
    image: ${BUSYBOX}
    command: ["httpd", "-f", "-p", "80"]
    ports: ["127.0.0.1:PORT:80"]
    stop_grace_period: 1s
`,
    says: /port PORT is already in use/,
  },
  {
    name: "a build that fails",
    service: "broken",
    compose: `services:
  broken:
    build: ./app
`,
    files: { "app/Dockerfile": `FROM ${BUSYBOX}\nRUN echo 'compiling'; exit 7\n` },
    says: /failed to build .*exit code: 7/,
  },
  {
    name: "an image that does not exist",
    service: "ghost",
    compose: `services:
  ghost:
    image: berth-test-missing/ghost:never-built
`,
    says: /berth-test-missing\/ghost:never-built/,
  },
];

describe.skipIf(!requireDocker())("faults: a clear error naming the service, and down leaves nothing", () => {
  let busy: Server;
  let port = 0;
  const projects: string[] = [];
  const dirs: { cleanup: () => void }[] = [];

  beforeAll(async () => {
    // The taken port: held by this test, so no other test can be using it by chance.
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const project of projects) await removeProject(project);
    for (const dir of dirs) dir.cleanup();
    await new Promise((resolve) => busy.close(resolve));
  }, 120_000);

  it.concurrent.each(FAULTS)("$name", { timeout: 240_000 }, async (fault) => {
    const project = uniqueProject(`fault-${fault.service}`);
    projects.push(project);
    const dir = tempProject({ "compose.yaml": fault.compose.replace("PORT", String(port)) });
    dirs.push(dir);
    for (const [name, text] of Object.entries(fault.files ?? {})) {
      mkdirSync(path.dirname(path.join(dir.dir, name)), { recursive: true });
      writeFileSync(path.join(dir.dir, name), text);
    }
    const berth = berthIn(dir.dir, project);

    const up = await berth(["up", "-d", "--wait", "--wait-timeout", "120"], 200_000);
    const shown = `stderr of up:\n${up.stderr}`;
    expect(up.code, shown).toBe(1);
    const errors = errorLines(up.stderr);
    expect(errors, shown).toHaveLength(1);
    expect(errors[0], shown).toContain(`service ${fault.service}`);
    expect(errors[0], shown).toMatch(new RegExp(fault.says.source.replace("PORT", String(port))));
    expect(up.stderr, shown).not.toMatch(STACK_FRAME);

    const down = await berth(["down", "-v"]);
    expect(down.code, `stderr of down:\n${down.stderr}`).toBe(0);
    expect(await projectState(project)).toEqual(EMPTY);
  });
});
