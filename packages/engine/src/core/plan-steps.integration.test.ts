import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Project } from "@berth/compose-schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BUSYBOX,
  docker,
  removeImageTags,
  requireDocker,
  uniqueProject,
} from "../../../../test/helpers/docker.js";
import { makeProject } from "../../../../test/helpers/project.js";
import { type LocalRegistry, hasRegistry, startRegistry } from "../../../../test/helpers/registry.js";
import type { EngineEvent } from "../base/events.js";
import { observeProject } from "../base/observe.js";
import { Executor } from "./apply.js";
import { planDown } from "./down-plan.js";
import { down, observeForDown } from "./down.js";
import { type ImageStep, planBuild, planPush } from "./image-plan.js";
import { applyImagePlan, pullPlan } from "./images.js";
import { type LifecycleCommand, planLifecycle } from "./lifecycle-plan.js";
import { applyLifecycle } from "./ops/lifecycle.js";
import { type RunOptions, dryRunRun, runOneOff } from "./ops/run.js";
import { type PlannedStep, downSteps, imageSteps, lifecycleSteps } from "./plan-steps.js";
import { planUp } from "./plan.js";
import { type UpOptions, dryRunUp, observeForUp, up } from "./up.js";

/**
 * What a run did, as `Kind name Action` lines: each final word it reported, in any order. A build's own
 * steps (BuildKit's) are progress inside the plan's one `Built` step.
 */
function done(events: EngineEvent[]): string[] {
  return events
    .filter((e) => e.kind !== "step")
    .filter((e) => e.status === "done" || e.status === "skipped" || e.status === "warning")
    .map((e) => `${e.kind} ${e.name} ${e.action}`)
    .sort();
}

function planned(steps: PlannedStep[]): string[] {
  return steps.map((s) => `${s.kind} ${s.name} ${s.action}`).sort();
}

// The dry run of each command (observe → plan → steps, which `--dry-run` prints) against what the real
// run reports right after it, on the same state: the two lists must be the same.
describe.skipIf(!requireDocker())("a dry run shows what the real run does", () => {
  const name = uniqueProject("dryrun");
  const services = (env = "1") =>
    makeProject(name, [
      { name: "db" },
      {
        name: "web",
        environment: { V: env },
        depends_on: { db: { condition: "service_started", required: true } },
      },
      { name: "cache" },
    ]);
  afterAll(() => down(docker, name, { volumes: true, timeoutSeconds: 0 }).catch(() => undefined));

  async function compareUp(project: Project, opts: UpOptions = {}): Promise<string[]> {
    const steps = planned(await dryRunUp(docker, project, opts));
    const events: EngineEvent[] = [];
    await up(docker, project, opts, (e) => events.push(e));
    expect(done(events)).toEqual(steps);
    return steps;
  }

  async function compareLifecycle(command: LifecycleCommand, opts: { services?: string[] } = {}) {
    const plan = planLifecycle(command, await observeProject(docker, name), { ...opts, timeoutSeconds: 1 });
    const events: EngineEvent[] = [];
    // The real run plans again from a fresh observation, as the CLI does.
    const fresh = planLifecycle(command, await observeProject(docker, name), { ...opts, timeoutSeconds: 1 });
    await applyLifecycle(docker, fresh, { onEvent: (e) => events.push(e) });
    const steps = planned(lifecycleSteps(plan));
    expect(done(events)).toEqual(steps);
    return steps;
  }

  async function compareRunOf(project: Project, service: string, opts: RunOptions): Promise<string[]> {
    const steps = planned(await dryRunRun(docker, project, service, opts));
    const events: EngineEvent[] = [];
    const result = await runOneOff(docker, project, service, opts, (e) => events.push(e));
    expect(result.exitCode ?? 0).toBe(0);
    expect(done(events)).toEqual(steps);
    return steps;
  }

  async function compareDown(opts: Parameters<typeof planDown>[1]): Promise<string[]> {
    const plan = planDown(await observeForDown(docker, name, opts), opts);
    const events: EngineEvent[] = [];
    await down(docker, name, opts, (e) => events.push(e));
    const steps = planned(downSteps(plan));
    expect(done(events)).toEqual(steps);
    return steps;
  }

  it("create, start, up after a change and a scale, pause, unpause, kill, restart, stop, rm, down SERVICE, down", async () => {
    const created = await compareUp(services(), { noStart: true });
    expect(created).toContain(`container ${name}-web-1 Created`);
    expect(created).not.toContain(`container ${name}-web-1 Started`);
    expect(await compareLifecycle("start")).toHaveLength(3);

    const changed = await compareUp(services("2"), { scale: { cache: 2 } });
    expect(changed).toEqual(
      expect.arrayContaining([
        `container ${name}-web-1 Recreated`,
        `container ${name}-cache-2 Created`,
        `container ${name}-db-1 Running`,
      ]),
    );

    expect(await compareLifecycle("pause", { services: ["web"] })).toEqual([
      `container ${name}-web-1 Paused`,
    ]);
    expect(await compareLifecycle("unpause")).toEqual([`container ${name}-web-1 Unpaused`]);
    expect(await compareLifecycle("kill", { services: ["cache"] })).toHaveLength(2);
    expect(await compareLifecycle("restart", { services: ["cache"] })).toHaveLength(2);
    expect(await compareLifecycle("stop", { services: ["web"] })).toEqual([
      `container ${name}-web-1 Stopped`,
    ]);
    expect(await compareLifecycle("rm")).toEqual([`container ${name}-web-1 Removed`]);

    const project = services("2");
    await compareUp(project, { scale: { cache: 2 } });
    // down db takes web (which depends on it) along; cache stays, and so does the network it uses.
    expect(await compareDown({ project, services: ["db"], timeoutSeconds: 1 })).toEqual([
      `container ${name}-db-1 Removed`,
      `container ${name}-web-1 Removed`,
      `network ${name}_default Resource is still in use`,
    ]);
    expect(await compareDown({ project, volumes: true, timeoutSeconds: 1 })).toEqual([
      `container ${name}-cache-1 Removed`,
      `container ${name}-cache-2 Removed`,
      `network ${name}_default Removed`,
    ]);
    expect((await observeProject(docker, name)).containers).toEqual([]);
  });

  it("up of a service that builds its image shows the build", async () => {
    const context = mkdtempSync(join(tmpdir(), "berth-dryrun-"));
    const made = makeProject(name, [
      { name: "tool", build: { context, dockerfile_inline: `FROM ${BUSYBOX}\nLABEL dry=run\n` } },
    ]);
    // Without `image:` the build is tagged <project>-tool and is not present yet.
    const project = { ...made, services: { tool: { ...made.services.tool, image: undefined } } };
    try {
      expect(await compareUp(project)).toEqual([
        `container ${name}-tool-1 Created`,
        `container ${name}-tool-1 Started`,
        `image ${name}-tool Built`,
        `network ${name}_default Created`,
      ]);
      expect(await compareUp(project, { build: "always" })).toEqual([
        `container ${name}-tool-1 Running`,
        `image ${name}-tool Built`,
      ]);
      // run --build builds through the same image plan.
      const once = { name: `${name}-built`, build: "always", rm: true, command: ["true"] } as const;
      expect(await compareRunOf(project, "tool", once)).toEqual([
        `container ${name}-built Created`,
        `container ${name}-built Removed`,
        `image ${name}-tool Built`,
      ]);
    } finally {
      await down(docker, name, { project, rmi: "local", timeoutSeconds: 0 });
      rmSync(context, { recursive: true, force: true });
    }
  });

  it("run: the dependencies, then the one-off container, attached or detached, with --rm", async () => {
    const compareRun = (opts: RunOptions) => compareRunOf(services(), "web", opts);
    try {
      // The one-off's name is made up anew by each run; --name gives both the same one.
      expect(await compareRun({ name: `${name}-once`, rm: true, command: ["true"] })).toEqual([
        `container ${name}-db-1 Created`,
        `container ${name}-db-1 Started`,
        `container ${name}-once Created`,
        `container ${name}-once Removed`,
        `network ${name}_default Created`,
      ]);
      expect(await compareRun({ name: `${name}-bg`, detach: true, rm: true, command: ["true"] })).toEqual([
        `container ${name}-bg Created`,
        `container ${name}-bg Started`,
        `container ${name}-db-1 Running`,
      ]);
    } finally {
      await down(docker, name, { volumes: true, timeoutSeconds: 0 });
    }
  });

  it("each network and container is made from its planned spec: labels as planned, placeholders filled in", async () => {
    const project = makeProject(name, [{ name: "vpn" }, { name: "app", network_mode: "service:vpn" }]);
    const observed = await observeForUp(docker, project, ["vpn", "app"]);
    const plan = planUp(project, observed);
    const [action] = plan.services[1].actions;
    if (action.type !== "create") throw new Error(`expected a create, planned ${action.type}`);
    expect(action.spec.options.HostConfig?.NetworkMode).toBe(`container:<ID of ${name}-vpn-1>`);
    try {
      await new Executor(docker, project, observed, { parallel: 2 }, () => {}).apply(plan);
      const vpn = await docker.getContainer(`${name}-vpn-1`).inspect();
      const app = await docker.getContainer(`${name}-app-1`).inspect();
      expect(app.Config.Labels).toMatchObject(action.spec.options.Labels ?? {});
      expect(app.HostConfig.NetworkMode).toBe(`container:${vpn.Id}`);
      const [network] = plan.networks;
      const made = await docker.getNetwork(network.spec.Name).inspect();
      expect({ Driver: made.Driver, Labels: made.Labels }).toEqual({
        Driver: network.spec.Driver,
        Labels: network.spec.Labels,
      });
    } finally {
      await down(docker, name, { volumes: true, timeoutSeconds: 0 });
    }
  });
});

// build, push and pull against a registry on 127.0.0.1: each plan, then the real run of that plan.
describe.skipIf(!requireDocker() || !hasRegistry())(
  "a dry run of build, push and pull shows the real run",
  () => {
    const name = uniqueProject("dryrun-images");
    let registry: LocalRegistry | undefined;
    let context: string;
    let project: Project;
    /** What the test builds, pushes and pulls: removed afterwards, by tag. */
    const made: string[] = [];

    beforeAll(async () => {
      registry = await startRegistry();
      made.push(`${registry.host}/${name}/app:1`, `${registry.host}/${name}/app:extra`, `${name}-local`);
      context = mkdtempSync(join(tmpdir(), "berth-dryrun-images-"));
      const compose = makeProject(name, [
        {
          name: "app",
          image: `${registry.host}/${name}/app:1`,
          build: {
            context,
            dockerfile_inline: `FROM ${BUSYBOX}\nLABEL dry=app\n`,
            tags: [`${registry.host}/${name}/app:extra`],
          },
        },
        { name: "local", build: { context, dockerfile_inline: `FROM ${BUSYBOX}\nLABEL dry=local\n` } },
        { name: "fixed", image: BUSYBOX, pull_policy: "never" },
      ]);
      // Built under compose's default name: no image: of its own.
      project = {
        ...compose,
        services: { ...compose.services, local: { ...compose.services.local, image: undefined } },
      };
    });
    afterAll(async () => {
      await removeImageTags(made);
      await registry?.stop();
      rmSync(context, { recursive: true, force: true });
    });

    async function compare(plan: ImageStep[]): Promise<string[]> {
      const events: EngineEvent[] = [];
      await applyImagePlan(docker, project, plan, { quiet: true }, (e) => events.push(e));
      const steps = planned(imageSteps(plan));
      expect(done(events)).toEqual(steps);
      return steps;
    }

    it("build, push, then pull after the local images are gone", async () => {
      const host = registry?.host;
      expect(await compare(planBuild(project, ["app", "local", "fixed"]))).toEqual([
        `image ${host}/${name}/app:1 Built`,
        `image ${name}-local Built`,
      ]);
      expect(await compare(planPush(project, ["app", "local", "fixed"]))).toEqual([
        `image ${host}/${name}/app:1 Pushed`,
        `image ${host}/${name}/app:extra Pushed`,
        `image ${BUSYBOX} Skipped`,
        `image ${name}-local Skipped`,
      ]);
      await docker.getImage(`${host}/${name}/app:1`).remove();
      const pull = await pullPlan(docker, project, ["app", "local", "fixed"]);
      expect(await compare(pull)).toEqual([
        `image ${host}/${name}/app:1 Pulled`,
        `image ${BUSYBOX} Skipped`,
        `image ${name}-local Skipped`,
      ]);
      await docker.getImage(`${host}/${name}/app:1`).inspect();
    });
  },
);
