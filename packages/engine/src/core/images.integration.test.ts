import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Project, ServiceConfig } from "@berth/compose-schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BUSYBOX,
  docker,
  removeImageTags,
  requireDocker,
  uniqueProject,
} from "../../../../test/helpers/docker.js";
import { hasRegistry, startRegistry } from "../../../../test/helpers/registry.js";
import type { EngineEvent } from "../base/events.js";
import { Labels } from "../base/labels.js";
import { defaultParallel } from "../base/parallel.js";
import { type ImageStep, planBuild, planPush } from "./image-plan.js";
import {
  ImageBuildError,
  applyImagePlan,
  projectImagesToRemove,
  pullPlan,
  removeImages,
  removeProjectImages,
} from "./images.js";
import { type UpOptions, ensureImagesThenObserve } from "./up.js";

/** `up`'s image step for the services `names`: observe, plan (`planUpImages`), run the plan. */
async function upImages(
  project: Project,
  names: string[],
  opts: Pick<UpOptions, "pull" | "build" | "quietPull" | "signal"> = {},
  emit: (e: EngineEvent) => void = () => {},
): Promise<void> {
  await ensureImagesThenObserve(docker, project, names, { parallel: defaultParallel(), ...opts }, emit);
}

function projectOf(name: string, services: Omit<ServiceConfig, "name">[] & { key: string }[]): Project {
  return {
    name,
    workingDir: tmpdir(),
    configFiles: [],
    profiles: [],
    environment: { FROM_ENV: "env-value" },
    services: Object.fromEntries(services.map(({ key, ...s }) => [key, { name: key, ...s }])),
    disabledServices: {},
    networks: {},
    volumes: {},
    secrets: {},
    configs: {},
  };
}

/** Runs `cmd` in a throwaway container of `image` and returns its output. */
async function runIn(image: string, cmd: string[]): Promise<string> {
  const container = await docker.createContainer({ Image: image, Cmd: cmd, Tty: true });
  try {
    await container.start();
    await container.wait();
    const logs = await container.logs({ stdout: true, stderr: true });
    return logs.toString();
  } finally {
    await container.remove({ force: true });
  }
}

describe.skipIf(!requireDocker())("images (engine)", () => {
  const project = uniqueProject("images");
  const tags: string[] = [];
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "berth-images-"));
  });

  afterAll(async () => {
    await removeImageTags(tags);
    await rm(dir, { recursive: true, force: true });
  });

  it("sends the context without what .dockerignore excludes", async () => {
    const ctx = join(dir, "ignore");
    await mkdir(join(ctx, ".git"), { recursive: true });
    await mkdir(join(ctx, "logs"), { recursive: true });
    await mkdir(join(ctx, "src"), { recursive: true });
    await writeFile(join(ctx, ".git", "HEAD"), "ref");
    await writeFile(join(ctx, ".env"), "SECRET=1");
    await writeFile(join(ctx, "logs", "a.log"), "x");
    await writeFile(join(ctx, "logs", "keep.log"), "x");
    await writeFile(join(ctx, "src", "app.sh"), "echo hi");
    await writeFile(join(ctx, "src", "notes.md"), "x");
    await writeFile(join(ctx, ".dockerignore"), ".git\n.env\nlogs\n!logs/keep.log\n**/*.md\nDockerfile\n");
    await writeFile(join(ctx, "Dockerfile"), `FROM ${BUSYBOX}\nCOPY . /ctx\n`);
    const p = projectOf(project, [{ key: "app", build: { context: ctx } }]);
    tags.push(`${project}-app`);
    const events: EngineEvent[] = [];
    await upImages(p, ["app"], {}, (e) => events.push(e));
    expect(events.some((e) => e.action === "Built" && e.status === "done")).toBe(true);
    expect(
      events.some((e) => e.kind === "step" && e.name === "[app 2/2] COPY . /ctx" && e.status === "done"),
    ).toBe(true);
    const listing = (await runIn(`${project}-app`, ["find", "/ctx"])).split(/\r?\n/).filter(Boolean).sort();
    // The Dockerfile was sent (the build ran), but the engine drops it from the context after reading it
    // because .dockerignore lists it, as it does for `docker build`.
    expect(listing).toEqual(
      ["/ctx", "/ctx/.dockerignore", "/ctx/logs", "/ctx/logs/keep.log", "/ctx/src", "/ctx/src/app.sh"].sort(),
    );
  });

  it("builds dockerfile_inline with args (also from the environment), target and labels", async () => {
    const ctx = join(dir, "inline");
    await mkdir(ctx, { recursive: true });
    const dockerfile = [
      `FROM ${BUSYBOX} AS base`,
      "ARG GREETING",
      "ARG FROM_ENV",
      'RUN echo "$GREETING $FROM_ENV" > /greeting',
      "FROM base AS final",
      "RUN echo final > /stage",
    ].join("\n");
    const image = `${project}-inline:v1`;
    tags.push(image);
    const p = projectOf(project, [
      {
        key: "inline",
        image,
        build: {
          context: ctx,
          dockerfile_inline: dockerfile,
          args: { GREETING: "hello", FROM_ENV: null },
          target: "base",
          labels: { "org.example.kind": "test" },
        },
      },
    ]);
    await applyImagePlan(docker, p, planBuild(p, ["inline"]));
    expect((await runIn(image, ["cat", "/greeting"])).trim()).toBe("hello env-value");
    expect(await runIn(image, ["ls", "/stage"])).toMatch(/No such file/);
    const info = await docker.getImage(image).inspect();
    expect(info.Config.Labels?.["org.example.kind"]).toBe("test");
  });

  it("passes extra_hosts, network, shm_size and cache_from, and finds a Dockerfile in a subfolder", async () => {
    const ctx = join(dir, "options");
    await mkdir(join(ctx, "docker"), { recursive: true });
    await writeFile(
      join(ctx, "docker", "app.Dockerfile"),
      `FROM ${BUSYBOX}\nRUN grep registry.example /etc/hosts > /hosts && df -k /dev/shm | tail -1 > /shm\n`,
    );
    const image = `${project}-options`;
    tags.push(image);
    const p = projectOf(project, [
      {
        key: "options",
        build: {
          context: ctx,
          dockerfile: "docker/app.Dockerfile",
          extra_hosts: ["registry.example=10.1.2.3"],
          network: "host",
          shm_size: 32 * 1024 * 1024,
          cache_from: [BUSYBOX],
        },
      },
    ]);
    // shm_size needs the legacy builder on this engine (its BuildKit drops it; validate.test.ts).
    process.env.DOCKER_BUILDKIT = "0";
    try {
      await upImages(p, ["options"]);
    } finally {
      Reflect.deleteProperty(process.env, "DOCKER_BUILDKIT");
    }
    expect(await runIn(image, ["cat", "/hosts"])).toMatch(/10\.1\.2\.3\s+registry\.example/);
    expect((await runIn(image, ["cat", "/shm"])).split(/\s+/)[1]).toBe("32768");
  });

  it("skips a present image and rebuilds with build: always", async () => {
    const ctx = join(dir, "inline");
    const p = projectOf(project, [
      {
        key: "inline",
        image: `${project}-inline:v1`,
        build: { context: ctx, dockerfile_inline: `FROM ${BUSYBOX}\n` },
      },
    ]);
    const events: EngineEvent[] = [];
    await upImages(p, ["inline"], {}, (e) => events.push(e));
    expect(events).toEqual([]);
    await upImages(p, ["inline"], { build: "always", quietPull: true }, (e) => events.push(e));
    expect(events.map((e) => e.action)).toEqual(["Building", "Built"]);
  });

  it("fails a build with the service and the failing step", async () => {
    const ctx = join(dir, "fail");
    await mkdir(ctx, { recursive: true });
    // The step's command names this project, so its container (if one were left) is told apart.
    const step = `exit 3 # ${project}`;
    await writeFile(join(ctx, "Dockerfile"), `FROM ${BUSYBOX}\nRUN echo ok\nRUN ${step}\n`);
    const p = projectOf(project, [{ key: "broken", build: { context: ctx } }]);
    tags.push(`${project}-broken`);
    const err = await upImages(p, ["broken"]).catch((e) => e);
    expect(err).toBeInstanceOf(ImageBuildError);
    expect(err.code).toBe("IMAGE_BUILD_FAILED");
    expect(err.message).toContain("service broken");
    expect(err.message).toContain(`[broken 3/3] RUN exit 3 # ${project}`);
    expect(err.message).toMatch(/exit code: 3/);
    const left = (await docker.listContainers({ all: true })).filter((c) => c.Command.includes(step));
    expect(left).toEqual([]);
  });

  it("starts a build once the steps it waits for are done, not after every earlier build", async () => {
    const inline = (key: string, run: string) => ({
      key,
      build: { context: dir, dockerfile_inline: `FROM ${BUSYBOX}\nRUN ${run} # ${project}\n` },
    });
    const p = projectOf(project, [
      inline("slow", "sleep 4"),
      inline("first", "true"),
      inline("second", "true"),
    ]);
    const step = (service: string, after: string[] = []): ImageStep => ({
      image: `${project}-${service}`,
      service,
      action: "build",
      reason: "build:",
      after,
    });
    tags.push(...["slow", "first", "second"].map((s) => `${project}-${s}`));
    const built: string[] = [];
    await applyImagePlan(
      docker,
      p,
      [step("slow"), step("first"), step("second", [`${project}-first`])],
      { quiet: true },
      (e) => {
        if (e.action === "Built") built.push(e.name);
      },
    );
    expect(built).toEqual([`${project}-first`, `${project}-second`, `${project}-slow`]);
  });

  it("never starts a build whose needed build failed, and throws that failure", async () => {
    const p = projectOf(project, [
      {
        key: "bad",
        build: { context: dir, dockerfile_inline: `FROM ${BUSYBOX}\nRUN exit 4 # ${project}\n` },
      },
      { key: "reader", build: { context: dir, dockerfile_inline: `FROM ${BUSYBOX}\n` } },
    ]);
    const steps: ImageStep[] = [
      { image: `${project}-bad`, service: "bad", action: "build", reason: "build:", after: [] },
      {
        image: `${project}-reader`,
        service: "reader",
        action: "build",
        reason: "build:",
        after: [`${project}-bad`],
      },
    ];
    tags.push(`${project}-bad`, `${project}-reader`);
    const events: EngineEvent[] = [];
    const err = await applyImagePlan(docker, p, steps, { quiet: true }, (e) => events.push(e)).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(ImageBuildError);
    expect(err.message).toContain("service bad");
    expect(events.filter((e) => e.name === `${project}-reader`)).toEqual([]);
  });

  it("fails a build whose context does not exist", async () => {
    const p = projectOf(project, [{ key: "nowhere", build: { context: join(dir, "absent") } }]);
    const err = await upImages(p, ["nowhere"]).catch((e) => e);
    expect(err).toBeInstanceOf(ImageBuildError);
    expect(err.message).toContain("is not a directory");
  });

  it("fails on a missing image with pull_policy: never", async () => {
    const p = projectOf(project, [{ key: "none", image: `${project}-absent:1`, pull_policy: "never" }]);
    await expect(upImages(p, ["none"])).rejects.toMatchObject({ code: "IMAGE_NOT_FOUND" });
  });

  it("removes the images a project built (down --rmi local)", async () => {
    const ctx = join(dir, "rmi");
    await mkdir(ctx, { recursive: true });
    const p = projectOf(project, [
      { key: "rmi", build: { context: ctx, dockerfile_inline: `FROM ${BUSYBOX}\nRUN echo rmi\n` } },
      { key: "base", image: BUSYBOX },
    ]);
    tags.push(`${project}-rmi`);
    await upImages(p, ["rmi", "base"]);
    await removeProjectImages(docker, p, "local");
    await expect(docker.getImage(`${project}-rmi`).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await docker.getImage(BUSYBOX).inspect();

    // From the project name alone, the images are read off its containers before these go.
    await upImages(p, ["rmi"]);
    const container = await docker.createContainer({
      Image: `${project}-rmi`,
      Labels: { [Labels.project]: project, [Labels.service]: "rmi" },
    });
    const local = await projectImagesToRemove(docker, project, "local");
    const all = await projectImagesToRemove(docker, project, "all");
    await container.remove({ force: true });
    expect(local).toEqual([`${project}-rmi`]);
    expect(all).toEqual([`${project}-rmi`]);
    const events: EngineEvent[] = [];
    await removeImages(docker, [...local, `${project}-never-built`], (e) => events.push(e));
    expect(events.map((e) => `${e.action} ${e.name}`)).toEqual([`Removed ${project}-rmi`]);
  });
});

describe.skipIf(!requireDocker() || !hasRegistry())("images through a local registry", () => {
  const project = uniqueProject("registry");
  let registry: Awaited<ReturnType<typeof startRegistry>> | undefined;
  let dir: string;
  let image: string;
  let built: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "berth-registry-"));
    registry = await startRegistry();
    image = `${registry.host}/${project}/busybox:1`;
    built = `${registry.host}/${project}/built:2`;
  });

  afterAll(async () => {
    await removeImageTags([image, built]);
    await registry?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("pushes a built image and pulls missing images back with progress", async () => {
    await docker.getImage(BUSYBOX).tag({ repo: image.slice(0, image.lastIndexOf(":")), tag: "1" });
    const p = projectOf(project, [
      { key: "pulled", image },
      {
        key: "built",
        image: built,
        build: { context: dir, dockerfile_inline: `FROM ${BUSYBOX}\nRUN echo built\n` },
      },
    ]);
    const events: EngineEvent[] = [];
    await upImages(p, ["built"]);
    await applyImagePlan(docker, p, planPush(p, ["pulled", "built"]), {}, (e) => events.push(e));
    expect(events.filter((e) => e.status === "done").map((e) => [e.action, e.name])).toEqual([
      ["Pushed", built],
    ]);

    // Push the retagged busybox with the engine, then forget both locally.
    const pushStream = await docker
      .getImage(image)
      .push({ authconfig: { username: "", password: "", serveraddress: "" } });
    await new Promise((resolve, reject) =>
      docker.modem.followProgress(pushStream, (err) => (err ? reject(err) : resolve(null))),
    );
    await docker.getImage(image).remove();
    await docker.getImage(built).remove();

    events.length = 0;
    await upImages(p, ["pulled", "built"], { build: "never", pull: "missing" }, (e) => events.push(e));
    expect(events.filter((e) => e.status === "done").map((e) => `${e.action} ${e.name}`)).toEqual(
      expect.arrayContaining([`Pulled ${image}`, `Pulled ${built}`]),
    );
    expect(events.some((e) => e.action === "Pulling" && e.status === "progress")).toBe(true);
    await docker.getImage(image).inspect();
    await docker.getImage(built).inspect();

    events.length = 0;
    const plan = await pullPlan(docker, p, ["pulled", "built"], { ignoreBuildable: true });
    await applyImagePlan(docker, p, plan, { quiet: true }, (e) => events.push(e));
    expect(events.map((e) => `${e.action} ${e.name}`)).toEqual([
      `Pulling ${image}`,
      `Skipped ${built}`,
      `Pulled ${image}`,
    ]);
  });

  it("pulls a present image again with pull_policy: always, and stops when aborted", async () => {
    const p = projectOf(project, [{ key: "pulled", image, pull_policy: "always" }]);
    const events: EngineEvent[] = [];
    await upImages(p, ["pulled"], { quietPull: true }, (e) => events.push(e));
    expect(events.map((e) => e.action)).toEqual(["Pulling", "Pulled"]);
    const controller = new AbortController();
    controller.abort();
    await expect(upImages(p, ["pulled"], { signal: controller.signal })).rejects.toMatchObject({
      code: "ABORTED",
    });
  });

  it("names the service and the image when a pull fails", async () => {
    const absent = image.replace(":1", ":absent");
    const p = projectOf(project, [{ key: "ghost", image: absent }]);
    const err = await upImages(p, ["ghost"]).catch((e) => e);
    expect(err.code).toBe("IMAGE_PULL_FAILED");
    expect(err.message).toContain("service ghost");
    expect(err.message).toContain(absent);

    // `pull --ignore-pull-failures`, and a service that can build instead: a warning, no failure.
    const events: EngineEvent[] = [];
    const ignoring = await pullPlan(docker, p, ["ghost"], { ignoreFailures: true });
    await applyImagePlan(docker, p, ignoring, {}, (e) => events.push(e));
    const buildable = projectOf(project, [{ key: "ghost", image: absent, build: { context: dir } }]);
    await applyImagePlan(docker, buildable, await pullPlan(docker, buildable, ["ghost"]), {}, (e) =>
      events.push(e),
    );
    expect(events.filter((e) => e.action === "Pull").map((e) => e.status)).toEqual(["warning", "warning"]);
  });
});
