import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable, Writable } from "node:stream";
import type { Project } from "@berth/compose-schema";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, docker, requireDocker, uniqueProject } from "../../../../../test/helpers/docker.js";
import type { EngineEvent } from "../../base/events.js";
import { Labels } from "../../base/labels.js";
import { fileObjectDir } from "../file-objects.js";
import { copyFromService, copyToService } from "./cp.js";
import { projectEvents } from "./events.js";
import { execInService } from "./exec.js";
import { listProjectImages } from "./images.js";
import {
  killServices,
  pauseServices,
  removeServices,
  restartServices,
  startServices,
  stopServices,
  unpauseServices,
} from "./lifecycle.js";
import { type LogLine, streamLogs } from "./logs.js";
import { listProjects } from "./ls.js";
import { publishedPort } from "./port.js";
import { listContainers } from "./ps.js";
import { runOneOff } from "./run.js";
import { NoContainerError } from "./select.js";
import { topServices } from "./top.js";
import { waitServices } from "./wait.js";

/** A service container made directly with compose's labels, so these tests do not depend on `up`. */
async function serviceContainer(
  project: string,
  service: string,
  number: number,
  script: string,
  opts: { tty?: boolean; ports?: string[]; start?: boolean; labels?: Record<string, string> } = {},
): Promise<Docker.Container> {
  const container = await docker.createContainer({
    name: `${project}-${service}-${number}`,
    Image: BUSYBOX,
    Cmd: ["sh", "-c", script],
    Tty: opts.tty ?? false,
    Labels: {
      [Labels.project]: project,
      [Labels.service]: service,
      [Labels.containerNumber]: String(number),
      [Labels.oneoff]: "False",
      [Labels.configFiles]: `/srv/${project}/compose.yaml`,
      ...opts.labels,
    },
    ExposedPorts: Object.fromEntries((opts.ports ?? []).map((p) => [p, {}])),
    HostConfig: {
      PortBindings: Object.fromEntries(
        (opts.ports ?? []).map((p) => [p, [{ HostIp: "127.0.0.1", HostPort: "" }]]),
      ),
    },
    StopTimeout: 1,
  });
  if (opts.start !== false) await container.start();
  return container;
}

async function removeProject(project: string): Promise<void> {
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`${Labels.project}=${project}`] },
  });
  await Promise.all(
    containers.map((c: Docker.ContainerInfo) => docker.getContainer(c.Id).remove({ force: true, v: true })),
  );
  const networks = await docker.listNetworks({ filters: { label: [`${Labels.project}=${project}`] } });
  await Promise.all(networks.map((n: Docker.NetworkInspectInfo) => docker.getNetwork(n.Id).remove()));
}

const LOOP = "trap 'exit 7' TERM; while true; do sleep 0.1; done";

describe.skipIf(!requireDocker())("ops (engine)", () => {
  const project = uniqueProject("ops");
  const startedAt = Math.floor(Date.now() / 1000) - 1;

  beforeAll(async () => {
    await serviceContainer(project, "web", 1, `echo out-1; echo err-1 >&2; echo out-2; ${LOOP}`, {
      ports: ["80/tcp"],
    });
    await serviceContainer(project, "web", 2, LOOP);
    await serviceContainer(project, "job", 1, "echo done; exit 3");
    await serviceContainer(project, "tty", 1, "echo tty-line; sleep 60", { tty: true });
    await docker.getContainer(`${project}-job-1`).wait();
  });

  afterAll(async () => {
    await removeProject(project);
  });

  it("lists containers with state, exit code and ports (ps)", async () => {
    const running = await listContainers(docker, project);
    expect(running.map((c) => c.name)).toEqual([`${project}-tty-1`, `${project}-web-1`, `${project}-web-2`]);
    const all = await listContainers(docker, project, { all: true });
    const job = all.find((c) => c.service === "job");
    expect(job).toMatchObject({ state: "exited", exitCode: 3, number: 1, image: BUSYBOX });
    expect(running[1].ports[0]).toMatchObject({ hostIp: "127.0.0.1", privatePort: 80, protocol: "tcp" });
    expect(running[1].ports[0].publicPort).toBeGreaterThan(0);
    const exited = await listContainers(docker, project, { status: ["exited"] });
    expect(exited.map((c) => c.service)).toEqual(["job"]);
    expect((await listContainers(docker, project, { services: ["web"] })).length).toBe(2);
  });

  it("demultiplexes stdout and stderr lines of logs, and reads TTY logs raw", async () => {
    const lines: LogLine[] = [];
    await streamLogs(docker, project, { services: ["web", "tty"] }, (l) => lines.push(l));
    const web = lines.filter((l) => l.container === `${project}-web-1`).map((l) => [l.stream, l.text]);
    // The engine copies the two streams separately: their order relative to each other is not kept.
    expect(web.filter(([s]) => s === "stdout")).toEqual([
      ["stdout", "out-1"],
      ["stdout", "out-2"],
    ]);
    expect(web.filter(([s]) => s === "stderr")).toEqual([["stderr", "err-1"]]);
    expect(lines.find((l) => l.service === "tty")).toMatchObject({ stream: "stdout", text: "tty-line" });
    const tail: LogLine[] = [];
    await streamLogs(docker, project, { services: ["web"], tail: 1 }, (l) => tail.push(l));
    const last = tail.filter((l) => l.container === `${project}-web-1`).map((l) => l.text);
    expect(last).toHaveLength(1);
    expect(["out-2", "err-1"]).toContain(last[0]);
  });

  it("follows logs until aborted", async () => {
    const controller = new AbortController();
    const lines: LogLine[] = [];
    const done = streamLogs(
      docker,
      project,
      { services: ["job"], follow: true },
      (l) => {
        lines.push(l);
        controller.abort();
      },
      controller.signal,
    );
    await done;
    expect(lines[0]).toMatchObject({ service: "job", text: "done" });
  });

  it("runs exec with captured output and exit code, env, workdir and user", async () => {
    const result = await execInService(
      docker,
      project,
      "web",
      ["sh", "-c", "echo $GREETING; pwd; id -u; echo oops >&2; exit 5"],
      {
        env: { GREETING: "hi" },
        workdir: "/tmp",
        user: "nobody",
        index: 2,
      },
    );
    expect(result).toEqual({ exitCode: 5, stdout: "hi\n/tmp\n65534\n", stderr: "oops\n" });
    await expect(execInService(docker, project, "web", ["true"], { index: 9 })).rejects.toBeInstanceOf(
      NoContainerError,
    );
    await expect(execInService(docker, project, "job", ["true"])).rejects.toMatchObject({
      code: "CONTAINER_NOT_RUNNING",
    });
  });

  it("feeds stdin to an interactive exec and writes to given streams", async () => {
    const out: Buffer[] = [];
    const stdout = new Writable({
      write: (chunk, _enc, cb) => {
        out.push(chunk);
        cb();
      },
    });
    const result = await execInService(docker, project, "web", ["sh", "-c", "tr a-z A-Z; exit 2"], {
      interactive: true,
      stdin: Readable.from([Buffer.from("hello\n")]),
      stdout,
      stderr: stdout,
    });
    expect(result).toEqual({ exitCode: 2 });
    expect(Buffer.concat(out).toString()).toBe("HELLO\n");
  });

  it("sizes an exec TTY like the caller's terminal", async () => {
    const out: Buffer[] = [];
    const terminal = Object.assign(
      new Writable({
        write: (chunk, _enc, cb) => {
          out.push(chunk);
          cb();
        },
      }),
      { isTTY: true, rows: 30, columns: 100 },
    );
    const result = await execInService(docker, project, "web", ["sh", "-c", "sleep 0.3; stty size"], {
      tty: true,
      stdout: terminal,
    });
    expect(result.exitCode).toBe(0);
    expect(Buffer.concat(out).toString().trim()).toBe("30 100");
  });

  it("finds the published port of a service", async () => {
    const port = await publishedPort(docker, project, "web", 80);
    expect(port?.hostIp).toBe("127.0.0.1");
    expect(port?.hostPort).toBeGreaterThan(0);
    expect(await publishedPort(docker, project, "web", 81)).toBeUndefined();
  });

  it("lists the processes of running containers (top)", async () => {
    const top = await topServices(docker, project, { services: ["tty"] });
    expect(top[0].container).toBe(`${project}-tty-1`);
    expect(top[0].processes.some((p) => p.join(" ").includes("sleep 60"))).toBe(true);
  });

  it("lists the project's images", async () => {
    const images = await listProjectImages(docker, project, { services: ["job"] });
    expect(images).toMatchObject([{ service: "job", repository: "berth-examples/busybox", tag: "latest" }]);
  });

  it("reports the project in ls with compose's status string", async () => {
    const projects = await listProjects(docker, { all: true });
    expect(projects.find((p) => p.name === project)).toEqual({
      name: project,
      status: "exited(1), running(3)",
      configFiles: `/srv/${project}/compose.yaml`,
    });
    const running = await listProjects(docker);
    expect(running.find((p) => p.name === project)?.status).toBe("running(3)");
  });

  it("copies files both ways (cp)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "berth-cp-"));
    try {
      await writeFile(join(dir, "in.txt"), "from host\n");
      await copyToService(docker, project, "web", join(dir, "in.txt"), "/tmp");
      await copyToService(docker, project, "web", join(dir, "in.txt"), "/tmp/renamed.txt");
      const check = await execInService(docker, project, "web", ["cat", "/tmp/in.txt", "/tmp/renamed.txt"]);
      expect(check.stdout).toBe("from host\nfrom host\n");

      await execInService(docker, project, "web", [
        "sh",
        "-c",
        "mkdir -p /tmp/out && echo inside > /tmp/out/f.txt",
      ]);
      await copyFromService(docker, project, "web", "/tmp/out", dir);
      expect(await readFile(join(dir, "out", "f.txt"), "utf8")).toBe("inside\n");
      await copyFromService(docker, project, "web", "/tmp/out/f.txt", join(dir, "copy.txt"));
      expect(await readFile(join(dir, "copy.txt"), "utf8")).toBe("inside\n");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reports the project's engine events", async () => {
    const events: string[] = [];
    await projectEvents(docker, project, { since: startedAt, services: ["job"] }, (e) =>
      events.push(`${e.type} ${e.action} ${e.name}`),
    );
    expect(events).toEqual(
      expect.arrayContaining([`container create ${project}-job-1`, `container die ${project}-job-1`]),
    );
  });
});

describe.skipIf(!requireDocker())("ops lifecycle (engine)", () => {
  const project = uniqueProject("life");

  beforeAll(async () => {
    await serviceContainer(project, "a", 1, LOOP);
    await serviceContainer(project, "b", 1, LOOP, {
      labels: { [Labels.dependsOn]: "a:service_started:false" },
    });
  });

  afterAll(async () => {
    await removeProject(project);
  });

  const state = async (service: string) =>
    (await listContainers(docker, project, { all: true, services: [service] }))[0]?.state;

  it("pauses and unpauses with events", async () => {
    const events: EngineEvent[] = [];
    expect(await pauseServices(docker, project, { services: ["a"], onEvent: (e) => events.push(e) })).toBe(1);
    expect(await state("a")).toBe("paused");
    expect(await unpauseServices(docker, project, { services: ["a"], onEvent: (e) => events.push(e) })).toBe(
      1,
    );
    expect(await state("a")).toBe("running");
    expect(events.map((e) => `${e.action} ${e.name}`)).toEqual([
      `Pausing ${project}-a-1`,
      `Paused ${project}-a-1`,
      `Unpausing ${project}-a-1`,
      `Unpaused ${project}-a-1`,
    ]);
  });

  it("kills with a signal, and wait returns the exit code", async () => {
    const waiting = waitServices(docker, project, { services: ["a"] });
    await killServices(docker, project, { services: ["a"], signal: "SIGTERM" });
    expect(await waiting).toEqual([{ service: "a", container: `${project}-a-1`, exitCode: 7 }]);
    expect(await state("a")).toBe("exited");
  });

  it("starts, restarts, stops and removes", async () => {
    expect(await startServices(docker, project, {})).toBe(1);
    expect(await state("a")).toBe("running");
    await restartServices(docker, project, { services: ["b"], timeout: 1 });
    expect(await state("b")).toBe("running");
    const events: string[] = [];
    expect(
      await stopServices(docker, project, {
        timeout: 1,
        onEvent: (e) => events.push(`${e.action} ${e.service}`),
      }),
    ).toBe(2);
    // b depends on a: compose stops it first.
    expect(events).toEqual(["Stopping b", "Stopped b", "Stopping a", "Stopped a"]);
    expect(await state("b")).toBe("exited");
    expect(await removeServices(docker, project, { services: ["b"] })).toBe(1);
    expect(await state("b")).toBeUndefined();
  });

  it("follows logs across restarts until the container stays stopped", async () => {
    const container = await docker.createContainer({
      name: `${project}-flaky-1`,
      Image: BUSYBOX,
      Cmd: ["sh", "-c", "echo run; sleep 0.3; exit 1"],
      Labels: { [Labels.project]: project, [Labels.service]: "flaky", [Labels.oneoff]: "False" },
      HostConfig: { RestartPolicy: { Name: "on-failure", MaximumRetryCount: 2 } },
    });
    await container.start();
    const lines: string[] = [];
    await streamLogs(docker, project, { services: ["flaky"], follow: true }, (l) => lines.push(l.text));
    expect(lines).toEqual(["run", "run", "run"]);
  });

  it("follows the project's events until aborted", async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const since = (Date.now() / 1000 - 1).toFixed(3);
    const following = projectEvents(
      docker,
      project,
      { follow: true, since, signal: controller.signal },
      (e) => {
        seen.push(`${e.action} ${e.service}`);
        if (e.action === "start" && e.service === "a") controller.abort();
      },
    );
    await startServices(docker, project, { services: ["a"] });
    await following;
    expect(seen).toContain("start a");
  });
});

describe.skipIf(!requireDocker())("run (engine)", () => {
  const name = uniqueProject("run");
  const project: Project = {
    name,
    workingDir: tmpdir(),
    configFiles: [],
    profiles: [],
    environment: {},
    services: {
      tool: {
        name: "tool",
        image: BUSYBOX,
        command: ["echo", "default"],
        environment: { FROM_SERVICE: "yes" },
      },
      db: { name: "db", image: BUSYBOX, command: ["sh", "-c", LOOP], stop_grace_period: "1s" },
      client: {
        name: "client",
        image: BUSYBOX,
        command: ["true"],
        depends_on: { db: { condition: "service_started", required: true } },
      },
      healthy: {
        name: "healthy",
        image: BUSYBOX,
        command: ["sh", "-c", LOOP],
        stop_grace_period: "1s",
        healthcheck: { test: ["CMD", "true"], interval: "200ms" },
      },
      migrate: {
        name: "migrate",
        image: BUSYBOX,
        command: ["cat", "/run/secrets/token"],
        secrets: [{ source: "token" }],
        depends_on: { healthy: { condition: "service_healthy", required: true } },
      },
    },
    disabledServices: {},
    networks: { default: { name: `${name}_default` } },
    volumes: {},
    secrets: { token: { name: "token", content: "s3cret" } },
    configs: {},
  };

  afterAll(async () => {
    await removeProject(name);
    await rm(fileObjectDir(name), { recursive: true, force: true });
  });

  it("runs a one-off with --rm, returns its exit code and output, and leaves no container", async () => {
    const result = await runOneOff(docker, project, "tool", {
      command: ["sh", "-c", "echo $FROM_SERVICE $EXTRA; echo bad >&2; exit 4"],
      env: { EXTRA: "x" },
      rm: true,
    });
    expect(result).toMatchObject({ exitCode: 4, stdout: "yes x\n", stderr: "bad\n" });
    expect(result.container).toMatch(new RegExp(`^${name}-tool-run-[0-9a-f]{12}$`));
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`${Labels.project}=${name}`] },
    });
    expect(left).toEqual([]);
  });

  it("starts dependencies unless noDeps, on the project network", async () => {
    const alone = await runOneOff(docker, project, "client", { noDeps: true, rm: true });
    expect(alone.exitCode).toBe(0);
    expect(await listContainers(docker, name, { all: true })).toEqual([]);
    const result = await runOneOff(docker, project, "client", {
      rm: true,
      command: ["sh", "-c", "ping -c1 -W2 db >/dev/null; echo $?"],
    });
    expect(result.stdout).toBe("0\n");
    expect((await listContainers(docker, name)).map((c) => c.name)).toEqual([`${name}-db-1`]);
  });

  it("attaches stdin and a TTY, and returns even when stdin stays open", async () => {
    const piped = await runOneOff(docker, project, "tool", {
      command: ["tr", "a-z", "A-Z"],
      interactive: true,
      stdin: Readable.from([Buffer.from("abc\n")]),
      rm: true,
    });
    expect(piped).toMatchObject({ exitCode: 0, stdout: "ABC\n" });
    const open = new PassThrough();
    const tty = await runOneOff(docker, project, "tool", {
      command: ["sh", "-c", "echo on-tty; echo err >&2; exit 6"],
      interactive: true,
      tty: true,
      stdin: open,
      rm: true,
    });
    expect(tty.exitCode).toBe(6);
    expect(tty.stdout).toBe("on-tty\r\nerr\r\n");
    expect(open.isPaused()).toBe(true);
  });

  it("waits until its dependencies are healthy, as compose run does, and mounts its generated secrets", async () => {
    const events: EngineEvent[] = [];
    const result = await runOneOff(docker, project, "migrate", { rm: true }, (e) => events.push(e));
    expect(result).toMatchObject({ exitCode: 0, stdout: "s3cret" });
    const done = events.filter((e) => e.status === "done").map((e) => `${e.name} ${e.action}`);
    expect(done.indexOf(`${name}-healthy-1 Healthy`)).toBeGreaterThan(-1);
    expect(done.indexOf(`${name}-healthy-1 Healthy`)).toBeLessThan(
      done.indexOf(`${result.container} Created`),
    );
  });

  it("labels one-offs and keeps them out of ps", async () => {
    const result = await runOneOff(docker, project, "tool", { name: `${name}-kept` });
    expect(result).toMatchObject({ exitCode: 0, stdout: "default\n" });
    const info = await docker.getContainer(`${name}-kept`).inspect();
    expect(info.Config.Labels[Labels.oneoff]).toBe("True");
    expect(info.Config.Labels[Labels.service]).toBe("tool");
    expect((await listContainers(docker, project.name, { all: true })).map((c) => c.service)).not.toContain(
      "tool",
    );
  });
});
