import { existsSync } from "node:fs";
import type { Project, ServiceConfig } from "@berth/compose-schema";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docker, requireDocker, uniqueProject } from "../../../../test/helpers/docker.js";
import { makeProject as baseProject } from "../../../../test/helpers/project.js";
import type { EngineEvent } from "../base/events.js";
import { Labels } from "../base/labels.js";
import { down } from "./down.js";
import { fileObjectDir } from "./file-objects.js";
import { up } from "./up.js";

const LOOP = ["sh", "-c", "trap 'exit 0' TERM USR1; while true; do sleep 1; done"];

/** The shared test project, with this file's looping command as the default. */
function makeProject(name: string, services: Omit<ServiceConfig, "image">[], extra: Partial<Project> = {}) {
  return baseProject(name, services, extra, LOOP);
}

/** Engine events of the project's containers while `fn` runs, as `action name` lines. */
async function engineEvents(project: string, fn: () => Promise<void>): Promise<string[]> {
  const since = Math.floor(Date.now() / 1000) - 1;
  await fn();
  const until = Math.floor(Date.now() / 1000) + 1;
  const stream = (await docker.getEvents({
    since,
    until,
    filters: { type: ["container"], label: [`${Labels.project}=${project}`] },
  })) as NodeJS.ReadableStream;
  let text = "";
  for await (const chunk of stream) text += chunk.toString();
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { Action: string; Actor: { Attributes: { name: string } } })
    .filter((e) => ["create", "start", "die", "destroy"].includes(e.Action))
    .map((e) => `${e.Action} ${e.Actor.Attributes.name}`);
}

async function containersOf(project: string, all = true): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all, filters: { label: [`${Labels.project}=${project}`] } });
}

/** Removes whatever a test left behind, even when it failed half-way. */
async function cleanup(project: string): Promise<void> {
  await down(docker, project, { volumes: true, timeoutSeconds: 0 }).catch(() => undefined);
}

const healthy = { test: ["CMD", "true"], interval: "500ms", retries: 3 };

describe.skipIf(!requireDocker())("up and down on the engine", () => {
  const name = uniqueProject("up");
  const db: Omit<ServiceConfig, "image"> = {
    name: "db",
    healthcheck: healthy,
    volumes: [{ type: "volume", source: "data", target: "/data" }],
  };
  const init: Omit<ServiceConfig, "image"> = { name: "init", command: ["sh", "-c", "exit 0"] };
  const web: Omit<ServiceConfig, "image"> = {
    name: "web",
    depends_on: {
      db: { condition: "service_healthy", required: true },
      init: { condition: "service_completed_successfully", required: true, restart: true },
    },
    // --wait probes the published port from the host: serve on it (httpd goes to the background).
    command: ["sh", "-c", "httpd -p 80; trap 'exit 0' TERM USR1; while true; do sleep 1; done"],
    environment: { GREETING: "hello", EMPTY: "" },
    labels: { team: "berth" },
    ports: [{ target: 80, protocol: "tcp", host_ip: "127.0.0.1" }],
    cap_add: ["NET_ADMIN"],
    cap_drop: ["MKNOD"],
    ulimits: { nofile: { soft: 1024, hard: 2048 } },
    restart: "unless-stopped",
    networks: { default: null, back: { aliases: ["frontend"] } },
    stop_signal: "SIGUSR1",
    stop_grace_period: "2s",
    mem_limit: 64 * 1024 * 1024,
    cpus: 0.5,
    pids_limit: 50,
    tmpfs: ["/scratch:size=1m"],
  };
  const volumes = { data: { name: `${name}_data` } };
  const networks = { default: { name: `${name}_default` }, back: { name: `${name}_back` } };
  const project = makeProject(name, [db, init, web], { volumes, networks });
  const events: EngineEvent[] = [];
  let engine: string[] = [];

  beforeAll(async () => {
    engine = await engineEvents(name, () => up(docker, project, {}, (e) => events.push(e)));
  });
  afterAll(() => cleanup(name));

  it("starts a service only once its dependencies meet their conditions", () => {
    const at = (line: string) => engine.indexOf(line);
    expect(at(`create ${name}-web-1`)).toBeGreaterThan(at(`start ${name}-db-1`));
    expect(at(`create ${name}-web-1`)).toBeGreaterThan(at(`die ${name}-init-1`));
    expect(at(`start ${name}-web-1`)).toBeGreaterThan(0);
    const says = events.map((e) => `${e.kind} ${e.name} ${e.action}`);
    expect(says).toContain(`network ${name}_back Created`);
    expect(says).toContain(`volume ${name}_data Created`);
    expect(says).toContain(`container ${name}-db-1 Healthy`);
    expect(says).toContain(`container ${name}-init-1 Exited`);
    expect(says.indexOf(`container ${name}-db-1 Healthy`)).toBeLessThan(
      says.indexOf(`container ${name}-web-1 Creating`),
    );
    expect(events.every((e) => typeof e.elapsedMs === "number")).toBe(true);
  });

  it("creates the container with the service's attributes", async () => {
    const info = await docker.getContainer(`${name}-web-1`).inspect();
    expect(info.Config.Env).toEqual(expect.arrayContaining(["GREETING=hello", "EMPTY="]));
    expect(info.Config.Labels).toMatchObject({
      team: "berth",
      [Labels.project]: name,
      [Labels.service]: "web",
      [Labels.containerNumber]: "1",
      [Labels.oneoff]: "False",
      [Labels.dependsOn]: "db:service_healthy:false,init:service_completed_successfully:true",
    });
    expect(info.Config.Labels[Labels.image]).toMatch(/^sha256:/);
    expect(info.Config.StopSignal).toBe("SIGUSR1");
    expect((info.Config as { StopTimeout?: number }).StopTimeout).toBe(2);
    const hc = info.HostConfig;
    expect(hc.PortBindings).toEqual({ "80/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] });
    expect(info.NetworkSettings.Ports["80/tcp"]?.[0].HostPort).toMatch(/^\d+$/);
    expect(hc.CapAdd).toEqual(["NET_ADMIN"]);
    expect(hc.CapDrop).toEqual(["MKNOD"]);
    expect(hc.Ulimits).toEqual([{ Name: "nofile", Soft: 1024, Hard: 2048 }]);
    expect(hc.RestartPolicy?.Name).toBe("unless-stopped");
    expect(hc.Memory).toBe(64 * 1024 * 1024);
    expect(hc.NanoCpus).toBe(5e8);
    expect(hc.PidsLimit).toBe(50);
    expect(hc.Tmpfs).toEqual({ "/scratch": "size=1m" });
    expect(Object.keys(info.NetworkSettings.Networks).sort()).toEqual([`${name}_back`, `${name}_default`]);
    expect(info.NetworkSettings.Networks[`${name}_back`].Aliases).toEqual(
      expect.arrayContaining(["web", "frontend"]),
    );
    expect(info.NetworkSettings.Networks[`${name}_default`].Aliases).toEqual(expect.arrayContaining(["web"]));

    const dbInfo = await docker.getContainer(`${name}-db-1`).inspect();
    expect(dbInfo.Mounts).toEqual([
      expect.objectContaining({ Type: "volume", Name: `${name}_data`, Destination: "/data" }),
    ]);
    expect(dbInfo.Config.Healthcheck).toEqual({ Test: ["CMD", "true"], Interval: 5e8, Retries: 3 });
    expect(dbInfo.State.Health?.Status).toBe("healthy");
  });

  it("changes nothing on a second up with nothing changed, and waits when asked", async () => {
    const before = (await containersOf(name)).map((c) => c.Id).sort();
    const second: EngineEvent[] = [];
    await up(docker, project, { wait: true, waitTimeoutMs: 20_000 }, (e) => second.push(e));
    expect(second.filter((e) => ["Creating", "Recreate"].includes(e.action))).toEqual([]);
    // Like compose, an exited job is run again; running containers are left alone.
    expect(second.filter((e) => e.action === "Starting").map((e) => e.service)).toEqual(["init"]);
    expect(second.some((e) => e.name === `${name}-web-1` && e.action === "Running")).toBe(true);
    expect((await containersOf(name)).map((c) => c.Id).sort()).toEqual(before);
  });

  it("recreates a container whose config changed, saying why, and leaves the others", async () => {
    const oldWeb = await docker.getContainer(`${name}-web-1`).inspect();
    const oldDb = await docker.getContainer(`${name}-db-1`).inspect();
    const changed = makeProject(name, [db, init, { ...web, environment: { GREETING: "bonjour" } }], {
      volumes,
      networks,
    });
    const seen: EngineEvent[] = [];
    await up(docker, changed, {}, (e) => seen.push(e));
    expect(seen).toContainEqual(
      expect.objectContaining({
        name: `${name}-web-1`,
        action: "Recreate",
        detail: "environment.EMPTY removed; environment.GREETING changed",
      }),
    );
    expect(seen).toContainEqual(expect.objectContaining({ name: `${name}-web-1`, action: "Recreated" }));
    const newWeb = await docker.getContainer(`${name}-web-1`).inspect();
    expect(newWeb.Id).not.toBe(oldWeb.Id);
    expect(newWeb.State.Running).toBe(true);
    expect(newWeb.Config.Env).toContain("GREETING=bonjour");
    expect((await docker.getContainer(`${name}-db-1`).inspect()).Id).toBe(oldDb.Id);
    expect((await containersOf(name)).filter((c) => c.Labels[Labels.service] === "web")).toHaveLength(1);
    project.services.web = changed.services.web;
  });

  it("scales a service up and back down, removing the highest numbers", async () => {
    await up(docker, project, { services: ["web"], scale: { web: 3 } });
    const names = async () =>
      (await containersOf(name))
        .filter((c) => c.Labels[Labels.service] === "web")
        .map((c) => c.Names[0].slice(1))
        .sort();
    expect(await names()).toEqual([`${name}-web-1`, `${name}-web-2`, `${name}-web-3`]);
    await up(docker, project, { services: ["web"], scale: { web: 1 } });
    expect(await names()).toEqual([`${name}-web-1`]);
  });

  it("warns about orphans and removes them when asked", async () => {
    const { init: _init, ...rest } = project.services;
    const withoutInit = {
      ...project,
      services: { ...rest, web: { ...rest.web, depends_on: { db: web.depends_on!.db } } },
    };
    const warnings: EngineEvent[] = [];
    await up(docker, withoutInit, {}, (e) => e.status === "warning" && warnings.push(e));
    expect(warnings[0]?.detail).toMatch(new RegExp(`orphan containers \\(${name}-init-1\\)`));
    await up(docker, withoutInit, { removeOrphans: true });
    expect((await containersOf(name)).map((c) => c.Labels[Labels.service]).sort()).toEqual(["db", "web"]);
  });

  it("tears down from the project name alone, dependents first, keeping named volumes", async () => {
    const seen: EngineEvent[] = [];
    const lines = await engineEvents(name, () =>
      down(docker, name, { timeoutSeconds: 1 }, (e) => seen.push(e)),
    );
    expect(lines.indexOf(`die ${name}-web-1`)).toBeGreaterThanOrEqual(0);
    expect(lines.indexOf(`die ${name}-web-1`)).toBeLessThan(lines.indexOf(`die ${name}-db-1`));
    expect(await containersOf(name)).toEqual([]);
    expect(await docker.listNetworks({ filters: { label: [`${Labels.project}=${name}`] } })).toEqual([]);
    expect(seen).toContainEqual(
      expect.objectContaining({ kind: "network", name: `${name}_back`, action: "Removed" }),
    );
    expect((await docker.getVolume(`${name}_data`).inspect()).Name).toBe(`${name}_data`);
  });
});

describe.skipIf(!requireDocker())("named volumes", () => {
  const name = uniqueProject("vol");
  afterAll(() => cleanup(name));

  it("keep their data across down and up", async () => {
    const volumes = { data: { name: `${name}_data` } };
    const mount = [{ type: "volume" as const, source: "data", target: "/data" }];
    const writer = makeProject(
      name,
      [{ name: "job", command: ["sh", "-c", "echo kept > /data/f"], volumes: mount }],
      {
        volumes,
      },
    );
    await up(docker, writer, {});
    await docker.getContainer(`${name}-job-1`).wait();
    await down(docker, name, { timeoutSeconds: 0 });
    const reader = makeProject(
      name,
      [{ name: "job", command: ["sh", "-c", 'test "$(cat /data/f)" = kept'], volumes: mount }],
      { volumes },
    );
    await up(docker, reader, {});
    const result = (await docker.getContainer(`${name}-job-1`).wait()) as { StatusCode: number };
    expect(result.StatusCode).toBe(0);
    await down(docker, name, { volumes: true, timeoutSeconds: 0 });
    await expect(docker.getVolume(`${name}_data`).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe.skipIf(!requireDocker())("failing dependencies", () => {
  const unhealthy = uniqueProject("unhealthy");
  const failedJob = uniqueProject("job");
  afterAll(async () => {
    await cleanup(unhealthy);
    await cleanup(failedJob);
  });

  it("fails with the last probe output when a service_healthy dependency turns unhealthy", async () => {
    const project = makeProject(unhealthy, [
      {
        name: "db",
        healthcheck: { test: ["CMD-SHELL", "echo probe-says-no; exit 1"], interval: "200ms", retries: 2 },
      },
      { name: "web", depends_on: { db: { condition: "service_healthy", required: true } } },
    ]);
    const events: EngineEvent[] = [];
    const err = await up(docker, project, {}, (e) => events.push(e)).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "SERVICE_FAILED",
      service: "db",
      message: expect.stringContaining("probe-says-no"),
    });
    expect(events).toContainEqual(expect.objectContaining({ name: `${unhealthy}-db-1`, status: "error" }));
    expect(events).toContainEqual(expect.objectContaining({ kind: "service", name: "web", status: "error" }));
    expect((await containersOf(unhealthy)).map((c) => c.Labels[Labels.service])).toEqual(["db"]);
  });

  it("fails when a service_completed_successfully dependency exits non-zero", async () => {
    const project = makeProject(failedJob, [
      { name: "job", command: ["sh", "-c", "exit 3"] },
      { name: "web", depends_on: { job: { condition: "service_completed_successfully", required: true } } },
    ]);
    await expect(up(docker, project, {})).rejects.toMatchObject({
      code: "SERVICE_FAILED",
      message: expect.stringContaining("exited with code 3"),
    });
    expect((await containersOf(failedJob)).map((c) => c.Labels[Labels.service])).toEqual(["job"]);
  });
});

describe.skipIf(!requireDocker())("references between services", () => {
  const name = uniqueProject("refs");
  const taken = uniqueProject("port");
  afterAll(async () => {
    await cleanup(name);
    await cleanup(taken);
  });

  it("joins another service's network namespace and mounts generated secrets", async () => {
    const project = makeProject(
      name,
      [
        { name: "vpn", volumes: [{ type: "volume", target: "/shared" }] },
        {
          name: "app",
          network_mode: "service:vpn",
          volumes_from: ["vpn:ro"],
          secrets: [{ source: "token" }],
          command: ["sh", "-c", 'test "$(cat /run/secrets/token)" = s3cret && test -d /shared'],
        },
      ],
      { secrets: { token: { name: "token", content: "s3cret" } } },
    );
    await up(docker, project, {});
    const vpn = await docker.getContainer(`${name}-vpn-1`).inspect();
    const app = docker.getContainer(`${name}-app-1`);
    expect((await app.inspect()).HostConfig.NetworkMode).toBe(`container:${vpn.Id}`);
    expect(((await app.wait()) as { StatusCode: number }).StatusCode).toBe(0);
    // With its volumes: vpn's anonymous one would outlive the project (afterAll finds no container).
    await down(docker, name, { volumes: true, timeoutSeconds: 0 });
    expect(existsSync(fileObjectDir(name))).toBe(false);
  });

  it("restarts a dependent with restart: true when its dependency is recreated", async () => {
    const api = {
      name: "api",
      depends_on: { base: { condition: "service_started" as const, required: true, restart: true } },
    };
    await up(docker, makeProject(name, [{ name: "base" }, api]), { services: ["api"] });
    const before = await docker.getContainer(`${name}-api-1`).inspect();
    const seen: EngineEvent[] = [];
    await up(
      docker,
      makeProject(name, [{ name: "base", environment: { V: "2" } }, api]),
      { services: ["api"] },
      (e) => seen.push(e),
    );
    expect(seen).toContainEqual(
      expect.objectContaining({ name: `${name}-api-1`, action: "Restarted", detail: "base was recreated" }),
    );
    const after = await docker.getContainer(`${name}-api-1`).inspect();
    expect(after.Id).toBe(before.Id);
    expect(after.State.StartedAt).not.toBe(before.State.StartedAt);
  });

  it("names the busy host port when it is taken", async () => {
    const port = String(20_000 + Math.floor(Math.random() * 20_000));
    const ports = [{ target: 80, published: port, host_ip: "127.0.0.1", protocol: "tcp" }];
    await up(docker, makeProject(taken, [{ name: "first", ports }]), {});
    const second = makeProject(taken, [
      { name: "first", ports },
      { name: "second", ports },
    ]);
    const err = await up(docker, second, {}).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "SERVICE_FAILED",
      service: "second",
      message: `service second failed: host port ${port} is already in use: stop what listens on it or change the ports of second`,
      cause: expect.objectContaining({ code: "PORT_IN_USE", port }),
    });
  });

  it("keeps a recreated container's anonymous volumes", async () => {
    const project = makeProject(name, [
      {
        name: "keeper",
        volumes: [{ type: "volume", target: "/keep" }],
        command: ["sh", "-c", "test -f /keep/mark && exit 0; touch /keep/mark; exit 7"],
      },
    ]);
    await up(docker, project, { services: ["keeper"] });
    const first = docker.getContainer(`${name}-keeper-1`);
    expect(((await first.wait()) as { StatusCode: number }).StatusCode).toBe(7);
    const volume = (await first.inspect()).Mounts[0].Name;
    await up(docker, project, { services: ["keeper"], forceRecreate: true });
    const second = docker.getContainer(`${name}-keeper-1`);
    expect(((await second.wait()) as { StatusCode: number }).StatusCode).toBe(0);
    expect((await second.inspect()).Mounts[0].Name).toBe(volume);
    // Engine 20.10 counts a volume that a container mounts by name as named, so `down -v` (as compose's)
    // leaves the carried-over one: removed here, or each run would leave it behind.
    await down(docker, name, { volumes: true, timeoutSeconds: 0 });
    await docker
      .getVolume(volume)
      .remove()
      .catch((error: { statusCode?: number }) => {
        if (error.statusCode !== 404) throw error;
      });
  });

  it("gives up waiting after --wait-timeout", async () => {
    const project = makeProject(name, [
      { name: "slow", healthcheck: { test: ["CMD", "true"], interval: "1m", start_period: "1m" } },
    ]);
    await expect(
      up(docker, project, { services: ["slow"], wait: true, waitTimeoutMs: 1000 }),
    ).rejects.toMatchObject({
      code: "WAIT_TIMEOUT",
      message: expect.stringContaining(
        "service slow was not running and healthy after 1s (running, starting)",
      ),
    });
  });
});

describe.skipIf(!requireDocker())("scheduling", () => {
  const name = uniqueProject("sched");
  afterAll(() => cleanup(name));

  it("starts each service once its own dependencies are ready, not level by level", async () => {
    const project = makeProject(name, [
      {
        name: "slowdb",
        command: ["sh", "-c", "trap 'exit 0' TERM; sleep 2; touch /tmp/ready; while true; do sleep 1; done"],
        healthcheck: { test: ["CMD", "test", "-f", "/tmp/ready"], interval: "250ms", retries: 20 },
      },
      { name: "api", depends_on: { slowdb: { condition: "service_healthy", required: true } } },
      { name: "quick" },
      { name: "worker", depends_on: { quick: { condition: "service_started", required: true } } },
    ]);
    const lines = await engineEvents(name, () => up(docker, project, {}));
    expect(lines.indexOf(`start ${name}-worker-1`)).toBeGreaterThanOrEqual(0);
    expect(lines.indexOf(`start ${name}-worker-1`)).toBeLessThan(lines.indexOf(`create ${name}-api-1`));
  });

  it("stops waiting and starting when aborted", async () => {
    const project = makeProject(name, [
      { name: "never", healthcheck: { test: ["CMD", "false"], interval: "1m", start_period: "1m" } },
      { name: "after", depends_on: { never: { condition: "service_healthy", required: true } } },
    ]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1000);
    await expect(
      up(docker, project, { services: ["after"], signal: controller.signal }),
    ).rejects.toMatchObject({ code: "ABORTED" });
    const created = await containersOf(name);
    expect(created.map((c) => c.Labels[Labels.service])).not.toContain("after");
  });

  it("names the network the engine refused to create", async () => {
    const project = makeProject(name, [{ name: "odd", networks: { weird: null } }], {
      networks: { weird: { name: `${name}_weird`, ipam: { config: [{ subnet: "10.300.0.0/16" }] } } },
    });
    await expect(up(docker, project, { services: ["odd"] })).rejects.toMatchObject({
      code: "RESOURCE_FAILED",
      message: expect.stringContaining(`creating network ${name}_weird failed:`),
    });
  });
});
