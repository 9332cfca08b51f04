import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, requireDocker, uniqueProject } from "../../../../test/helpers/docker.js";
import { type LocalRegistry, hasRegistry, startRegistry } from "../../../../test/helpers/registry.js";
import { containerStates, runBerth, runCommand, tempProject } from "./harness.js";
import { removeProject } from "./project-cleanup.js";
import { useTempProject } from "./temp-project.test-helpers.js";

const IDLE = `["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]`;

async function containerId(name: string): Promise<string> {
  return (await runCommand("docker", ["inspect", "--format", "{{.Id}}", name])).stdout.trim();
}

async function imageId(ref: string): Promise<string> {
  const r = await runCommand("docker", ["image", "inspect", "--format", "{{.Id}}", ref]);
  if (r.code !== 0) throw new Error(`no image ${ref}: ${r.stderr}`);
  return r.stdout.trim();
}

async function removeImages(refs: string[]): Promise<void> {
  if (refs.length) await runCommand("docker", ["rmi", "-f", ...refs]);
}

describe("berth create, build and exec: help", () => {
  it("lists create among the commands and every flag of create, build and exec", async () => {
    const help = await runBerth(["help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^\s+create \[options\] \[service\.\.\.\]\s+Create containers/m);
    const create = await runBerth(["create", "--help"]);
    expect(create.code).toBe(0);
    for (const flag of [
      "--build",
      "--no-build",
      "--pull <policy>",
      "--quiet-pull",
      "--force-recreate",
      "--no-recreate",
      "--remove-orphans",
      "--scale <service=n>",
      "--project-name",
    ]) {
      expect(create.stdout).toContain(flag);
    }
    const build = await runBerth(["build", "--help"]);
    expect(build.stdout).toContain("--no-cache");
    expect(build.stdout).toContain("--pull");
    expect((await runBerth(["exec", "--help"])).stdout).toContain("-d, --detach");
  });

  it("rejects contradictory or invalid create flags with exit 2 before touching the engine", async () => {
    const both = await runBerth(["create", "--force-recreate", "--no-recreate"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--force-recreate and --no-recreate cannot be combined");
    expect((await runBerth(["create", "--pull", "sometimes"])).code).toBe(2);
    const scale = await runBerth(["create", "--scale", "web"]);
    expect(scale.code).toBe(2);
    expect(scale.stderr).toContain('invalid --scale "web"');
  });
});

const STACK = `services:
  db:
    image: ${BUSYBOX}
    command: ${IDLE}
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
    stop_grace_period: 1s
  web:
    image: ${BUSYBOX}
    command: ["httpd", "-f", "-p", "80"]
    depends_on:
      db:
        condition: service_healthy
    volumes: [data:/data]
    stop_grace_period: 1s
volumes:
  data: {}
`;

/** A second file of the same project with one more service, to leave an orphan behind. */
const WITH_EXTRA = `${STACK.replace("volumes:\n  data: {}\n", "")}  extra:
    image: ${BUSYBOX}
    command: ${IDLE}
volumes:
  data: {}
`;

describe.skipIf(!requireDocker())("berth create, then start and exec -d", () => {
  const { project, berth } = useTempProject(
    "cli-create",
    () => ({ "compose.yaml": STACK, "extra.yaml": WITH_EXTRA }),
    removeProject,
  );

  it("creates containers, network and volume without starting anything or waiting for health", async () => {
    // web waits for db to be healthy under up; create must not wait, or this would hang until killed.
    const created = await berth(["create"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toMatch(new RegExp(`^Network ${project}_default  Created`, "m"));
    expect(created.stderr).toMatch(new RegExp(`^Volume ${project}_data  Created`, "m"));
    expect(created.stderr).toMatch(new RegExp(`^Container ${project}-web-1  Created`, "m"));
    expect(created.stderr).not.toMatch(/Start|Healthy|Waiting/);
    expect(await containerStates(project)).toEqual([`${project}-db-1 created`, `${project}-web-1 created`]);

    // Again with nothing changed: the same containers, still not started, reported as JSON when asked.
    const db = await containerId(`${project}-db-1`);
    const again = await berth(["--progress", "json", "create"]);
    expect(again.code, again.stderr).toBe(0);
    const events = again.stderr
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(events.map((e) => `${e.name} ${e.action} ${e.status}`).sort()).toEqual([
      `${project}-db-1 Created skipped`,
      `${project}-web-1 Created skipped`,
    ]);
    expect(await containerId(`${project}-db-1`)).toBe(db);
    expect(await containerStates(project)).toEqual([`${project}-db-1 created`, `${project}-web-1 created`]);
  }, 60_000);

  it("scales, and removes orphans only with --remove-orphans", async () => {
    const extra = await berth(["-f", "extra.yaml", "create", "--scale", "web=2", "extra"]);
    expect(extra.code, extra.stderr).toBe(0);
    expect(await containerStates(project)).toEqual([
      `${project}-db-1 created`,
      `${project}-extra-1 created`,
      `${project}-web-1 created`,
    ]);
    const scaled = await berth(["create", "--scale", "web=2"]);
    expect(scaled.code, scaled.stderr).toBe(0);
    expect(scaled.stderr).toContain("Found orphan containers");
    expect(await containerStates(project)).toContain(`${project}-web-2 created`);
    expect(await containerStates(project)).toContain(`${project}-extra-1 created`);

    const cleaned = await berth(["create", "--remove-orphans"]);
    expect(cleaned.code, cleaned.stderr).toBe(0);
    // Back to the file's one replica, and the orphan is gone.
    expect(await containerStates(project)).toEqual([`${project}-db-1 created`, `${project}-web-1 created`]);
  }, 60_000);

  it("start runs what create made, and create leaves running containers running", async () => {
    const start = await berth(["start"]);
    expect(start.code, start.stderr).toBe(0);
    expect(await containerStates(project)).toEqual([`${project}-db-1 running`, `${project}-web-1 running`]);
    const kept = await berth(["create"]);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stderr).toMatch(new RegExp(`^Container ${project}-web-1  Running`, "m"));
    expect(await containerStates(project)).toEqual([`${project}-db-1 running`, `${project}-web-1 running`]);
  }, 60_000);

  it("exec -d returns at once while the command keeps running in the container", async () => {
    // The command never ends on its own: an exec that waited would be killed by the harness (code null).
    const detached = await berth([
      "exec",
      "-d",
      "db",
      "sh",
      "-c",
      "sleep 1; echo written-later > /tmp/exec-d-marker; exec sleep 3600",
    ]);
    expect(detached).toEqual({ code: 0, stdout: "", stderr: "" });

    // The marker appears only after the sleep, so the process outlived the exec -d call.
    let marker = "";
    const deadline = Date.now() + 60_000;
    while (marker !== "written-later" && Date.now() < deadline) {
      const r = await berth(["exec", "-T", "db", "cat", "/tmp/exec-d-marker"]);
      marker = r.stdout.trim();
      if (marker !== "written-later") await new Promise((r) => setTimeout(r, 250));
    }
    expect(marker).toBe("written-later");
    const top = await runCommand("docker", ["top", `${project}-db-1`]);
    expect(top.stdout).toContain("sleep 3600");
  }, 90_000);

  it("create --force-recreate replaces running containers and leaves them unstarted", async () => {
    const web = await containerId(`${project}-web-1`);
    const forced = await berth(["create", "--force-recreate"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(
      new RegExp(`^Container ${project}-web-1  Recreated  \\d+\\.\\ds  --force-recreate$`, "m"),
    );
    expect(await containerId(`${project}-web-1`)).not.toBe(web);
    expect(await containerStates(project)).toEqual([`${project}-db-1 created`, `${project}-web-1 created`]);
    // And exec -d says so rather than starting anything.
    const r = await berth(["exec", "-d", "web", "true"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`container ${project}-web-1 of service web is not running`);
  }, 60_000);
});

describe.skipIf(!requireDocker())("berth create with build:", () => {
  const { project, berth } = useTempProject(
    "cli-create-build",
    (project) => ({
      "compose.yaml": `services:
  app:
    build:
      context: .
      dockerfile_inline: |
        FROM ${BUSYBOX}
        LABEL berth.test=${project}
    command: ["true"]
`,
    }),
    async (project) => {
      await removeProject(project);
      await removeImages([`${project}-app`]);
    },
  );

  it("--no-build refuses a missing image and creates nothing; --build builds it first", async () => {
    const refused = await berth(["create", "--no-build"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`image ${project}-app of service app is not present`);
    expect(await containerStates(project)).toEqual([]);

    const built = await berth(["create", "--build"]);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stderr).toMatch(new RegExp(`^Image ${project}-app  Built`, "m"));
    await imageId(`${project}-app`);
    expect(await containerStates(project)).toEqual([`${project}-app-1 created`]);
  }, 60_000);
});

describe.skipIf(!requireDocker())("berth build --no-cache", () => {
  const built: string[] = [];
  // The RUN step writes a fresh random value: only a step that really runs again changes the image.
  const { project, berth } = useTempProject(
    "cli-nocache",
    (project) => ({
      "compose.yaml": `services:
  app:
    build:
      context: .
      dockerfile_inline: |
        FROM ${BUSYBOX}
        RUN echo ${project} && cat /proc/sys/kernel/random/uuid > /built-id
`,
    }),
    () => removeImages(built),
  );
  const build = async (args: string[]) => {
    const r = await berth(["build", ...args], { timeoutMs: 55_000 });
    expect(r.code, r.stderr).toBe(0);
    built.push(await imageId(`${project}-app`));
    return built.at(-1);
  };

  it("rebuilds every step with the flag and reuses the cache without it", async () => {
    const first = await build(["--no-cache"]);
    const second = await build(["--no-cache"]);
    expect(second).not.toBe(first);
    // Without the flag the RUN step comes from the cache: one of the images just built, not a new one.
    expect([first, second]).toContain(await build([]));
  }, 120_000);
});

/** Builds an image from a Dockerfile given on stdin with the docker CLI (not the code under test). */
async function dockerBuild(tag: string, dockerfile: string): Promise<void> {
  const r = await runCommand("docker", ["build", "-q", "-t", tag, "-"], { input: dockerfile });
  if (r.code !== 0) throw new Error(`docker build ${tag}: ${r.stderr}`);
}

async function dockerPush(tag: string): Promise<void> {
  const r = await runCommand("docker", ["push", tag], { timeoutMs: 55_000 });
  if (r.code !== 0) throw new Error(`docker push ${tag}: ${r.stderr}`);
}

// A registry on localhost stands in for Docker Hub, which cannot be reached here.
describe.skipIf(!requireDocker() || !hasRegistry())("berth build --pull, against a local registry", () => {
  const project = uniqueProject("cli-pull");
  let work = "";
  let registry: LocalRegistry | undefined;
  let base = "";
  let localOnly = "";
  const images: string[] = [];
  const berth = (args: string[]) => runBerth(["-p", project, ...args], { cwd: work, timeoutMs: 55_000 });

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "berth-cli-pull-"));
    registry = await startRegistry();
    const host = registry.host;

    // The registry holds base v2 while the engine has v1 under the same tag; localOnly is never pushed.
    base = `${host}/${project}/base:1`;
    localOnly = `${host}/${project}/local-only:1`;
    await dockerBuild(base, `FROM ${BUSYBOX}\nLABEL berth.base=v2\n`);
    images.push(await imageId(base));
    await dockerPush(base);
    await dockerBuild(base, `FROM ${BUSYBOX}\nLABEL berth.base=v1\n`);
    images.push(await imageId(base));
    await dockerBuild(localOnly, `FROM ${BUSYBOX}\nLABEL berth.base=local\n`);
    images.push(await imageId(localOnly));

    writeFileSync(
      path.join(work, "compose.yaml"),
      `services:
  app:
    image: ${project}-app
    build:
      context: .
      dockerfile_inline: |
        FROM ${base}
        LABEL berth.app=${project}
  ghost:
    image: ${project}-ghost
    build:
      context: .
      dockerfile_inline: |
        FROM ${localOnly}
        LABEL berth.app=${project}
`,
    );
  }, 120_000);

  afterAll(async () => {
    await removeImages([`${project}-app`, `${project}-ghost`, base, localOnly, ...images]);
    await registry?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  const baseLabel = async () =>
    (
      await runCommand("docker", [
        "image",
        "inspect",
        "--format",
        '{{index .Config.Labels "berth.base"}}',
        `${project}-app`,
      ])
    ).stdout.trim();

  it("builds on the local base without --pull and on the registry's newer one with it", async () => {
    const local = await berth(["build", "app"]);
    expect(local.code, local.stderr).toBe(0);
    expect(await baseLabel()).toBe("v1");
    const pulled = await berth(["build", "--pull", "app"]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(await baseLabel()).toBe("v2");
  }, 120_000);

  it("reports a base image the registry does not have, naming the service, exit 1", async () => {
    const ok = await berth(["build", "ghost"]);
    expect(ok.code, ok.stderr).toBe(0);
    const failed = await berth(["build", "--pull", "ghost"]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("service ghost failed to build");
    expect(failed.stderr).toContain(`${project}/local-only`);
  }, 120_000);
});

describe.skipIf(!requireDocker() || !hasRegistry())("berth --dry-run build, push and pull", () => {
  let registry: LocalRegistry | undefined;
  let app = "";
  const { project, berth, dir } = useTempProject(
    "cli-image-plans",
    // The compose file is written by the test, once the registry's port is known.
    () => ({}),
    async () => {
      await removeImages([app]);
      await registry?.stop();
    },
  );
  const tagsInRegistry = async () => {
    const r = await fetch(`http://${registry?.host}/v2/${project}/app/tags/list`);
    return r.ok ? ((await r.json()) as { tags: string[] }).tags : [];
  };
  const present = async () => (await runCommand("docker", ["image", "inspect", app])).code === 0;
  const run = async (args: string[]) => {
    const r = await berth(args, { timeoutMs: 55_000 });
    expect(r.code, r.stderr).toBe(0);
    return r.stderr;
  };

  it("prints each plan with its reasons and builds, pushes and pulls nothing; the real runs do", async () => {
    registry = await startRegistry();
    app = `${registry.host}/${project}/app:1`;
    writeFileSync(
      path.join(dir(), "compose.yaml"),
      `services:
  app:
    image: ${app}
    build:
      context: .
      dockerfile_inline: |
        FROM ${BUSYBOX}
        LABEL berth.app=${project}
  base:
    image: ${BUSYBOX}
    pull_policy: never
`,
    );
    expect(await run(["--dry-run", "build"])).toBe(`Image ${app}  Built  build:\n`);
    expect(await present()).toBe(false);
    await run(["build"]);
    expect(await present()).toBe(true);

    // After the command's name too, as docker compose takes it; json events are "planned".
    const push = await run(["--progress", "json", "push", "--dry-run"]);
    expect(
      push
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l))
        .map((e) => [e.name, e.action, e.status, e.detail]),
    ).toEqual([
      [app, "Pushed", "planned", "image:"],
      [BUSYBOX, "Skipped", "planned", "no build:, not the project's image"],
    ]);
    expect(await tagsInRegistry()).toEqual([]);
    await run(["push"]);
    expect(await tagsInRegistry()).toEqual(["1"]);

    await removeImages([app]);
    expect(await run(["--dry-run", "pull"])).toBe(
      `Image ${app}  Pulled  not present; a failure only warns: it can be built\nImage ${BUSYBOX}  Skipped  pull_policy: never\n`,
    );
    expect(await present()).toBe(false);
    await run(["pull"]);
    expect(await present()).toBe(true);
    // --policy overrides pull_policy: the present app:1 stays, busybox's latest tag may have moved.
    expect(await run(["--dry-run", "pull", "--policy", "missing"])).toBe(
      `Image ${app}  Skipped  already present\nImage ${BUSYBOX}  Pulled  tag latest may have moved\n`,
    );
  }, 180_000);
});
