import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Project, loadProject } from "@berth/compose-schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, docker, requireDocker, uniqueProject } from "../../../../test/helpers/docker.js";
import type { EngineEvent } from "../base/events.js";
import type { ApiService } from "./api-types.js";
import { deploySteps } from "./deploy-steps.js";
import { type DeployOptions, deploy, planSwarmStackDeploy } from "./deploy.js";
import { SwarmErrorCodes, SwarmServiceFailedError } from "./errors.js";
import { SwarmStackLabels } from "./labels.js";
import { contentHash } from "./objects.js";
import {
  listSwarmStacks,
  planSwarmStackRemove,
  removeSwarmStack,
  swarmStackTasks,
} from "./swarm-stack-ops.js";
import { swarmStackRemovalSteps } from "./swarm-stack-rm-plan.js";
import { joinTestSwarm } from "./test-swarm.js";

const LOOP = `["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]`;

function worker(level = "1"): string {
  return `
  worker:
    image: ${BUSYBOX}
    command: ${LOOP}
    environment: { LEVEL: "${level}" }
    stop_grace_period: 1s
    volumes: [data:/data]
    tmpfs: [/run]
    ports: [{ target: 8080, mode: host }]
    deploy:
      mode: global
      endpoint_mode: dnsrr
      placement: { constraints: [node.role==manager] }
`;
}

function composeFile(
  opts: { workerLevel?: string; apiCommand?: string; withoutWorker?: boolean } = {},
): string {
  return `
services:
  api:
    image: ${BUSYBOX}
    command: ${opts.apiCommand ?? LOOP}
    environment: { MODE: one }
    labels: { tier: front }
    working_dir: /
    init: true
    stop_grace_period: 2s
    stop_signal: SIGTERM
    cap_add: [NET_ADMIN]
    extra_hosts: ["db.local:10.0.0.5"]
    healthcheck: { test: ["CMD", "true"], interval: 1s, retries: 2 }
    configs: [{ source: app_conf, target: /etc/app.conf }]
    secrets: [token]
    deploy:
      replicas: 2
      endpoint_mode: dnsrr
      labels: { team: core }
      resources: { limits: { memory: 64M } }
      restart_policy: { condition: on-failure, delay: 1s }
      update_config: { parallelism: 2, delay: 0s, failure_action: rollback, monitor: 3s, order: stop-first }
      rollback_config: { parallelism: 2, monitor: 1s }
${opts.withoutWorker ? "" : worker(opts.workerLevel)}volumes:
  data: {}
configs:
  app_conf: { file: ./app.conf }
secrets:
  token: { file: ./token.txt }
`;
}

const inspect = async (name: string) => (await docker.getService(name).inspect()) as ApiService;
const version = async (name: string) => (await inspect(name)).Version.Index;

describe.skipIf(!requireDocker())("berth deploy on a one-node swarm", { timeout: 120_000 }, () => {
  const stack = uniqueProject("swarm").replace(/[^a-z0-9-]/g, "");
  const dir = mkdtempSync(join(tmpdir(), "berth-swarm-"));
  let leaveSwarm: (() => Promise<void>) | undefined;
  const events: EngineEvent[] = [];
  const options: DeployOptions = { resolveImage: "never", waitTimeoutSeconds: 90 };

  async function run(files: { compose?: string; conf?: string } = {}, extra: DeployOptions = {}) {
    writeFileSync(join(dir, "compose.yaml"), files.compose ?? composeFile());
    if (files.conf !== undefined) writeFileSync(join(dir, "app.conf"), files.conf);
    const project: Project = await loadProject({ cwd: dir, projectName: stack, env: {} });
    return deploy(docker, project, { ...options, ...extra }, (e) => events.push(e));
  }

  /** `berth deploy --dry-run`: the plan's steps, each as `kind name action`. */
  async function dryRun(files: { compose?: string; conf?: string } = {}, extra: DeployOptions = {}) {
    writeFileSync(join(dir, "compose.yaml"), files.compose ?? composeFile());
    if (files.conf !== undefined) writeFileSync(join(dir, "app.conf"), files.conf);
    const project: Project = await loadProject({ cwd: dir, projectName: stack, env: {} });
    const plan = await planSwarmStackDeploy(docker, project, { ...options, ...extra });
    return deploySteps(plan)
      .filter((s) => !s.warning)
      .map((s) => `${s.kind} ${s.name} ${s.action}`)
      .sort();
  }

  /** What a real run did (or found up to date), from its events after `from`, as `dryRun` lists them. */
  const actedSince = (from: number) =>
    events
      .slice(from)
      .filter((e) => e.status === "done" || (e.status === "skipped" && e.kind === "service"))
      .filter((e) => !(e.kind === "service" && e.action === "Running"))
      .map((e) => `${e.kind} ${e.name} ${e.action}`)
      .sort();

  const stackServices = async () =>
    (
      (await docker.listServices({
        filters: { label: [`${SwarmStackLabels.namespace}=${stack}`] },
      })) as ApiService[]
    )
      .map((s) => `${s.Spec.Name}@${s.Version.Index}`)
      .sort();

  beforeAll(async () => {
    leaveSwarm = await joinTestSwarm();
    writeFileSync(join(dir, "app.conf"), "v1\n");
    writeFileSync(join(dir, "token.txt"), "s3cret\n");
  });

  afterAll(async () => {
    try {
      await removeSwarmStack(docker, stack).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
      // Like docker stack rm, deploy rm keeps volumes; the test's own goes once its container is gone.
      for (let i = 0; i < 40; i++) {
        const gone = await docker
          .getVolume(`${stack}_data`)
          .remove()
          .then(
            () => true,
            (e: { statusCode?: number }) => e.statusCode === 404,
          );
        if (gone) break;
        await new Promise((r) => setTimeout(r, 500));
      }
    } finally {
      await leaveSwarm?.();
    }
  });

  it("creates the stack, maps the compose keys and waits until every replica runs", async () => {
    const planned = await dryRun();
    // The dry run created nothing.
    expect(await stackServices()).toEqual([]);
    expect(
      await docker.listNetworks({ filters: { label: [`${SwarmStackLabels.namespace}=${stack}`] } }),
    ).toEqual([]);
    const from = events.length;
    const result = await run();
    expect(actedSince(from)).toEqual(planned);
    expect(result.created.sort()).toEqual(["api", "worker"]);
    const api = await inspect(`${stack}_api`);
    const c = api.Spec.TaskTemplate.ContainerSpec as Record<string, unknown>;
    expect(c.Image).toBe(BUSYBOX);
    expect(c.Args).toEqual(["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]);
    expect(c.Env).toEqual(["MODE=one"]);
    expect(c.Labels).toEqual({ tier: "front", [SwarmStackLabels.namespace]: stack });
    expect(c.Init).toBe(true);
    expect(c.StopGracePeriod).toBe(2e9);
    expect(c.CapabilityAdd).toEqual(["NET_ADMIN"]);
    expect(c.Hosts).toEqual(["10.0.0.5 db.local"]);
    expect((c.Configs as { ConfigName: string }[])[0]?.ConfigName).toMatch(
      new RegExp(`^${stack}_app_conf-[0-9a-f]{8}$`),
    );
    expect((c.Secrets as { File: { Name: string } }[])[0]?.File.Name).toBe("token");
    expect(api.Spec.Labels).toMatchObject({
      team: "core",
      [SwarmStackLabels.namespace]: stack,
      [SwarmStackLabels.image]: BUSYBOX,
    });
    expect(api.Spec.Mode).toEqual({ Replicated: { Replicas: 2 } });
    expect((api.Spec.EndpointSpec as { Mode: string }).Mode).toBe("dnsrr");
    expect(api.Spec.UpdateConfig).toMatchObject({
      Parallelism: 2,
      FailureAction: "rollback",
      Order: "stop-first",
    });
    const worker = await inspect(`${stack}_worker`);
    expect(worker.Spec.Mode).toEqual({ Global: {} });
    expect(worker.Spec.TaskTemplate.Placement).toEqual({ Constraints: ["node.role==manager"] });
    expect((worker.Spec.TaskTemplate.ContainerSpec as { Mounts: unknown[] }).Mounts).toEqual([
      {
        Type: "volume",
        Source: `${stack}_data`,
        Target: "/data",
        VolumeOptions: { Labels: { [SwarmStackLabels.namespace]: stack } },
      },
      { Type: "tmpfs", Target: "/run" },
    ]);
    expect(worker.Endpoint?.Ports).toEqual([
      expect.objectContaining({ Protocol: "tcp", TargetPort: 8080, PublishMode: "host" }),
    ]);
    // Service-to-service over the stack's overlay network: the alias resolves to both api tasks (dnsrr).
    const [container] = await docker.listContainers({
      filters: { label: [`com.docker.swarm.service.name=${stack}_worker`] },
    });
    const exec = await docker.getContainer(container?.Id ?? "").exec({
      Cmd: ["nslookup", "api"],
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    await new Promise((r) => stream.on("end", r));
    expect(
      Buffer.concat(chunks)
        .toString()
        .match(/Address: 10\.\d+\.\d+\.\d+/g),
    ).toHaveLength(2);
    const tasks = await swarmStackTasks(docker, stack, "api");
    expect(tasks.filter((t) => t.currentState === "running")).toHaveLength(2);
    expect(
      events.some((e) => e.service === "api" && e.action === "Running" && e.detail === "2/2 running"),
    ).toBe(true);
  });

  it("is seen by docker stack ls and docker stack services", () => {
    const ls = execFileSync("docker", ["stack", "ls", "--format", "{{.Name}} {{.Services}}"]).toString();
    expect(ls.split("\n")).toContain(`${stack} 2`);
    const services = execFileSync("docker", ["stack", "services", stack, "--format", "{{.Name}}"]).toString();
    expect(services.trim().split("\n").sort()).toEqual([`${stack}_api`, `${stack}_worker`]);
  });

  it("changes nothing when deployed again unchanged", async () => {
    const before = [await version(`${stack}_api`), await version(`${stack}_worker`)];
    const result = await run();
    expect(events.filter((e) => e.action === "Updating").map((e) => e.detail)).toEqual([]);
    expect(result.unchanged.sort()).toEqual(["api", "worker"]);
    expect([await version(`${stack}_api`), await version(`${stack}_worker`)]).toEqual(before);
    expect((await listSwarmStacks(docker)).find((s) => s.name === stack)?.services).toBe(2);
  });

  it("updates only the service that changed", async () => {
    const apiVersion = await version(`${stack}_api`);
    const result = await run({ compose: composeFile({ workerLevel: "2" }) });
    expect(result.updated).toEqual(["worker"]);
    expect(await version(`${stack}_api`)).toBe(apiVersion);
  });

  it("rolls the service of a changed config and prunes the old version", async () => {
    const oldConfig = (
      (await inspect(`${stack}_api`)).Spec.TaskTemplate.ContainerSpec as { Configs: { ConfigName: string }[] }
    ).Configs[0]?.ConfigName;
    const next = { compose: composeFile({ workerLevel: "2" }), conf: "v2\n" };
    const before = await stackServices();
    const planned = await dryRun(next, { prune: true });
    expect(planned).toEqual(
      [
        `project ${stack}_app_conf-${contentHash(Buffer.from("v2\n"))} Created config`,
        `project ${oldConfig} Removed config`,
        `service ${stack}_api Updated`,
        `service ${stack}_worker Up-to-date`,
      ].sort(),
    );
    // The dry run changed nothing.
    expect(await stackServices()).toEqual(before);
    const from = events.length;
    const result = await run(next, { prune: true });
    expect(actedSince(from)).toEqual(planned);
    expect(result.updated).toEqual(["api"]);
    expect(result.prunedObjects).toEqual([oldConfig]);
    const configs = (await docker.listConfigs({
      filters: { label: [`${SwarmStackLabels.namespace}=${stack}`] },
    })) as {
      Spec: { Name: string };
    }[];
    expect(configs.map((c) => c.Spec.Name)).not.toContain(oldConfig);
  });

  it("reports a failing update that was rolled back, naming the service and the task error", async () => {
    const error = await run({
      compose: composeFile({ workerLevel: "2", apiCommand: `["sh", "-c", "exit 1"]` }),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwarmServiceFailedError);
    expect((error as SwarmServiceFailedError).code).toBe(SwarmErrorCodes.rolledBack);
    expect((error as Error).message).toMatch(/^service api: .*non-zero exit \(1\)/);
  });

  it("removes the services the file no longer has with prune", async () => {
    const result = await run({ compose: composeFile({ withoutWorker: true }) }, { prune: true });
    expect(result.removed).toEqual([`${stack}_worker`]);
    expect(result.unchanged).toEqual(["api"]);
  });

  it("removes everything with deploy rm, as its dry run planned", async () => {
    const filters = { label: [`${SwarmStackLabels.namespace}=${stack}`] };
    const planned = swarmStackRemovalSteps(await planSwarmStackRemove(docker, stack)).map(
      (s) => `${s.kind} ${s.name} ${s.action}`,
    );
    // The dry run changed nothing.
    expect(await docker.listServices({ filters })).not.toHaveLength(0);
    const removed: EngineEvent[] = [];
    await removeSwarmStack(docker, stack, (e) => removed.push(e));
    expect(removed.map((e) => `${e.kind} ${e.name} ${e.action}`)).toEqual(planned);
    expect(planned).toContain(`service ${stack}_api Removed`);
    expect(await docker.listServices({ filters })).toHaveLength(0);
    // Swarm removes networks asynchronously: the node drops its copy a moment later.
    await expect.poll(() => docker.listNetworks({ filters }), { timeout: 10_000 }).toHaveLength(0);
    expect(await docker.listConfigs({ filters })).toHaveLength(0);
    expect(await docker.listSecrets({ filters })).toHaveLength(0);
  });
});
