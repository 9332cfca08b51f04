import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServiceConfig } from "@berth/compose-schema";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, docker, requireDocker, uniqueProject } from "../../../../../test/helpers/docker.js";
import { makeProject } from "../../../../../test/helpers/project.js";
import type { EngineEvent } from "../../base/events.js";
import { down } from "../down.js";
import { execInService } from "../ops/exec.js";
import { projectContainers } from "../ops/select.js";
import { up } from "../up.js";
import { type WatchOptions, type WatchSession, watchProject } from "./session.js";
import { WATCH_ACTION } from "./watch-steps.js";

/** What `cat` in the service's container `index` prints, or undefined when the file is not there. */
async function catIn(project: string, service: string, path: string, index = 1): Promise<string | undefined> {
  // A container being recreated answers 409 or is missing for a moment: not there yet.
  const r = await execInService(docker, project, service, ["cat", path], { index }).catch(() => undefined);
  return r?.exitCode === 0 ? r.stdout : undefined;
}

async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  do {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  } while (Date.now() < deadline);
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

async function startedAt(project: string, service: string): Promise<string> {
  const [c] = await projectContainers(docker, project, { services: [service], all: true });
  return (await docker.getContainer(c.Id).inspect()).State.StartedAt;
}

describe.skipIf(!requireDocker())("berth watch on the engine", () => {
  const name = uniqueProject("watch");
  let dir: string;
  let session: WatchSession | undefined;
  const events: EngineEvent[] = [];
  const reports = (service?: string) =>
    events.filter((e) => e.action === WATCH_ACTION && (!service || e.service === service));

  /** Brings the services up with the rules, then watches them. */
  async function start(services: Omit<ServiceConfig, "image">[], opts: WatchOptions = {}) {
    const project = makeProject(name, services, { workingDir: dir });
    await up(docker, project, {});
    session = await watchProject(docker, project, opts, (e) => events.push(e));
    return project;
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "berth-watch-"));
  });
  afterEach(async () => {
    await session?.close();
    session = undefined;
    events.length = 0;
    await down(docker, name, { volumes: true, rmi: "local", timeoutSeconds: 0 }).catch(() => undefined);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("syncs a new, a changed and a deleted file, and new folders, into every replica", async () => {
    const src = join(dir, "sync");
    mkdirSync(src);
    writeFileSync(join(src, "old.txt"), "old");
    await start([
      {
        name: "app",
        scale: 2,
        develop: { watch: [{ path: "./sync", action: "sync", target: "/app" }] },
      } as Omit<ServiceConfig, "image">,
    ]);
    writeFileSync(join(src, "new.txt"), "new");
    mkdirSync(join(src, "deep/er"), { recursive: true });
    writeFileSync(join(src, "deep/er/file.txt"), "deep");
    for (const index of [1, 2]) {
      await until(
        "new file",
        () => catIn(name, "app", "/app/new.txt", index),
        (v) => v === "new",
      );
      await until(
        "nested file",
        () => catIn(name, "app", "/app/deep/er/file.txt", index),
        (v) => v === "deep",
      );
    }
    writeFileSync(join(src, "new.txt"), "changed");
    await until(
      "changed file",
      () => catIn(name, "app", "/app/new.txt", 2),
      (v) => v === "changed",
    );
    writeFileSync(join(src, "old.txt"), "old");
    await until(
      "old file",
      () => catIn(name, "app", "/app/old.txt"),
      (v) => v === "old",
    );
    unlinkSync(join(src, "old.txt"));
    for (const index of [1, 2]) {
      await until(
        "removed file",
        () => catIn(name, "app", "/app/old.txt", index),
        (v) => v === undefined,
      );
    }
    expect(
      reports("app").some((e) =>
        /^synced 1 file \(1 removed\) to 2 containers in \d+ ms$/.test(e.detail ?? ""),
      ),
    ).toBe(true);
  });

  it("never syncs ignored paths, editor and VCS files, or what the build context's .dockerignore excludes", async () => {
    const ctx = join(dir, "ignored");
    mkdirSync(join(ctx, "src/node_modules"), { recursive: true });
    mkdirSync(join(ctx, "src/.git"), { recursive: true });
    writeFileSync(join(ctx, "Dockerfile"), `FROM ${BUSYBOX}\n`);
    writeFileSync(join(ctx, ".dockerignore"), "src/secret.env\n");
    await start([
      {
        name: "app",
        image: undefined,
        build: { context: ctx },
        command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"],
        develop: {
          watch: [
            { path: join(ctx, "src"), action: "sync", target: "/app", ignore: ["node_modules/", "*.log"] },
          ],
        },
      } as Omit<ServiceConfig, "image">,
    ]);
    for (const file of [
      "node_modules/dep.js",
      ".git/HEAD",
      "x.swp",
      "x.txt~",
      "4913",
      ".#x.txt",
      "a.log",
      "secret.env",
    ]) {
      writeFileSync(join(ctx, "src", file), "no");
    }
    // Written last: once it is there, the burst with the others has been handled.
    writeFileSync(join(ctx, "src/kept.txt"), "yes");
    await until(
      "kept file",
      () => catIn(name, "app", "/app/kept.txt"),
      (v) => v === "yes",
    );
    const ls = await execInService(docker, name, "app", ["ls", "-A", "/app"]);
    expect(ls.stdout.trim().split("\n")).toEqual(["kept.txt"]);
  });

  it("syncs a burst of 1000 files in one archive, one step", async () => {
    const src = join(dir, "burst");
    mkdirSync(src);
    await start([
      {
        name: "app",
        develop: { watch: [{ path: "./burst", action: "sync", target: "/app" }] },
      } as Omit<ServiceConfig, "image">,
    ]);
    // Written beside the watched tree, then moved in at once, as a checkout or an unpacked archive does:
    // how fast this test process writes on a loaded machine is not what is tested.
    const staged = join(dir, "burst-staged");
    mkdirSync(staged);
    for (let i = 0; i < 1000; i++) writeFileSync(join(staged, `f${i}.txt`), `${i}`);
    renameSync(staged, join(src, "tree"));
    await until(
      "1000 files",
      () =>
        execInService(docker, name, "app", ["sh", "-c", "ls /app/tree | wc -l"]).then((r) => r.stdout.trim()),
      (v) => v === "1000",
    );
    await session?.idle();
    expect(reports("app").map((e) => e.detail?.replace(/ in \d+ ms$/, ""))).toEqual([
      "watching 1 rule",
      "synced 1001 files",
    ]);
  });

  it("sync+restart restarts the container after the copy; restart only restarts", async () => {
    const src = join(dir, "restart");
    mkdirSync(join(src, "conf"), { recursive: true });
    await start([
      {
        name: "app",
        develop: {
          watch: [
            { path: "./restart/conf", action: "sync+restart", target: "/etc/app" },
            { path: "./restart/trigger", action: "restart" },
          ],
        },
      } as Omit<ServiceConfig, "image">,
    ]);
    const before = await startedAt(name, "app");
    writeFileSync(join(src, "conf/app.conf"), "v2");
    await until(
      "synced and restarted",
      async () => reports("app").at(-1)?.detail ?? "",
      (d) => d.startsWith("synced"),
    );
    expect(reports("app").at(-1)?.detail).toMatch(/^synced 1 file, restarted in \d+ ms$/);
    expect(await catIn(name, "app", "/etc/app/app.conf")).toBe("v2");
    const afterSync = await startedAt(name, "app");
    expect(afterSync).not.toBe(before);
    writeFileSync(join(src, "trigger"), "go");
    await until(
      "restarted",
      () => startedAt(name, "app"),
      (t) => t !== afterSync,
    );
  });

  it("sync+exec runs the command in the container after the copy", async () => {
    const src = join(dir, "exec");
    mkdirSync(src);
    await start([
      {
        name: "app",
        develop: {
          watch: [
            {
              path: "./exec",
              action: "sync+exec",
              target: "/app",
              exec: {
                command: "sh -c 'cat /app/in.txt >> /tmp/out; echo \"$SUFFIX\" >> /tmp/out'",
                environment: ["SUFFIX=done"],
              },
            },
          ],
        },
      } as Omit<ServiceConfig, "image">,
    ]);
    writeFileSync(join(src, "in.txt"), "copied-");
    await until(
      "exec output",
      () => catIn(name, "app", "/tmp/out"),
      // On a loaded machine the write may reach the watcher as two bursts: the command then runs twice,
      // each time after the copy.
      (v) => v !== undefined && /^(copied-done\n)+$/.test(v),
    );
    expect(reports("app").at(-1)?.detail).toMatch(/^synced 1 file, ran sh -c .* in \d+ ms$/);
  });

  it("initial_sync copies the whole tree when the watch starts", async () => {
    const src = join(dir, "initial");
    mkdirSync(join(src, "sub"), { recursive: true });
    writeFileSync(join(src, "a.txt"), "a");
    writeFileSync(join(src, "sub/b.txt"), "b");
    writeFileSync(join(src, "skip.tmp"), "no");
    await start([
      {
        name: "app",
        develop: {
          watch: [{ path: "./initial", action: "sync", target: "/app", initial_sync: true, ignore: "*.tmp" }],
        },
      } as Omit<ServiceConfig, "image">,
    ]);
    // No change was made: what is there came from the initial sync, before watchProject returned.
    expect(await catIn(name, "app", "/app/a.txt")).toBe("a");
    expect(await catIn(name, "app", "/app/sub/b.txt")).toBe("b");
    expect(await catIn(name, "app", "/app/skip.tmp")).toBeUndefined();
  });

  it("acts on two services whose rules watch overlapping paths", async () => {
    const src = join(dir, "overlap");
    mkdirSync(join(src, "shared"), { recursive: true });
    await start([
      { name: "web", develop: { watch: [{ path: "./overlap", action: "sync", target: "/site" }] } },
      {
        name: "api",
        develop: { watch: [{ path: "./overlap/shared", action: "sync", target: "/lib", include: "*.js" }] },
      },
    ] as Omit<ServiceConfig, "image">[]);
    writeFileSync(join(src, "shared/util.js"), "util");
    writeFileSync(join(src, "shared/notes.md"), "notes");
    await until(
      "web copy",
      () => catIn(name, "web", "/site/shared/util.js"),
      (v) => v === "util",
    );
    await until(
      "api copy",
      () => catIn(name, "api", "/lib/util.js"),
      (v) => v === "util",
    );
    expect(await catIn(name, "web", "/site/shared/notes.md")).toBe("notes");
    await session?.idle();
    expect(await catIn(name, "api", "/lib/notes.md")).toBeUndefined();
  });

  it("rebuilds and recreates on a change; a failed rebuild is reported, the next good one goes through, --prune removes the replaced image", async () => {
    const ctx = join(dir, "rebuild");
    mkdirSync(ctx);
    const dockerfile = (text: string) => `FROM ${BUSYBOX}\nCOPY version.txt /version.txt\nRUN ${text}\n`;
    writeFileSync(join(ctx, "version.txt"), "v1");
    writeFileSync(join(ctx, "Dockerfile"), dockerfile("true"));
    await start(
      [
        {
          name: "api",
          // The helper's busybox image would be the build's tag: the image is named after the project.
          image: undefined,
          build: { context: ctx },
          command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"],
          develop: { watch: [{ path: "./rebuild", action: "rebuild" }] },
        } as Omit<ServiceConfig, "image">,
      ],
      { prune: true },
    );
    expect(await catIn(name, "api", "/version.txt")).toBe("v1");
    const [first] = await projectContainers(docker, name, { services: ["api"] });
    writeFileSync(join(ctx, "Dockerfile"), dockerfile("exit 3"));
    await until(
      "failed rebuild",
      async () => reports("api").at(-1),
      (e) => e?.status === "error",
      60_000,
    );
    expect(reports("api").at(-1)?.detail).toMatch(/^rebuild failed: .*exit 3|non-zero code: 3/);
    expect(await catIn(name, "api", "/version.txt")).toBe("v1");
    writeFileSync(join(ctx, "version.txt"), "v2");
    writeFileSync(join(ctx, "Dockerfile"), dockerfile("true"));
    await until(
      "rebuilt",
      () => catIn(name, "api", "/version.txt"),
      (v) => v === "v2",
      60_000,
    );
    await session?.idle();
    const details = reports("api").map((e) => e.detail ?? "");
    expect(details.some((d) => /^rebuilt and recreated in \d+\.\d s$/.test(d))).toBe(true);
    expect(details.at(-1)).toBe(
      `removed the replaced image ${first.ImageID.replace("sha256:", "").slice(0, 12)}`,
    );
    await expect(docker.getImage(first.ImageID).inspect()).rejects.toThrow(/no such image/i);
  });

  it("with dryRun plans a rebuild (the build, the recreate that follows) and changes nothing; the real rebuild does those steps", async () => {
    const ctx = join(dir, "dry-rebuild");
    mkdirSync(ctx);
    writeFileSync(join(ctx, "version.txt"), "v1");
    writeFileSync(join(ctx, "Dockerfile"), `FROM ${BUSYBOX}\nCOPY version.txt /version.txt\n`);
    const project = await start(
      [
        {
          name: "api",
          image: undefined,
          build: { context: ctx },
          command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"],
          develop: { watch: [{ path: "./dry-rebuild/version.txt", action: "rebuild" }] },
        } as Omit<ServiceConfig, "image">,
      ],
      { dryRun: true },
    );
    const [before] = await projectContainers(docker, name, { services: ["api"] });
    writeFileSync(join(ctx, "version.txt"), "v2");
    await until(
      "planned rebuild",
      async () => reports("api").at(-1)?.status,
      (s) => s === "planned",
    );
    expect(reports("api").at(-1)?.detail).toBe("rebuilt and recreated: ./dry-rebuild/version.txt changed");
    const steps = (status: string) =>
      events
        .filter((e) => e.status === status && e.kind !== "step" && e.action !== WATCH_ACTION)
        .map((e) => `${e.kind} ${e.name} ${e.action}`)
        .sort();
    const planned = steps("planned");
    expect(planned).toEqual([
      `container ${name}-api-1 Recreated`,
      `container ${name}-api-1 Started`,
      `image ${name}-api Built`,
    ]);
    const [after] = await projectContainers(docker, name, { services: ["api"] });
    expect(after.Id).toBe(before.Id);
    expect(await catIn(name, "api", "/version.txt")).toBe("v1");

    await session?.close();
    events.length = 0;
    session = await watchProject(docker, project, {}, (e) => events.push(e));
    writeFileSync(join(ctx, "version.txt"), "v3");
    await until(
      "rebuilt",
      () => catIn(name, "api", "/version.txt"),
      (v) => v === "v3",
      60_000,
    );
    await session.idle();
    expect(steps("done")).toEqual(planned);
  });

  it("reports a sync to a container that went away and goes on", async () => {
    const src = join(dir, "gone");
    mkdirSync(src);
    await start([
      { name: "app", develop: { watch: [{ path: "./gone", action: "sync", target: "/app" }] } },
    ] as Omit<ServiceConfig, "image">[]);
    const [c] = await projectContainers(docker, name, { services: ["app"] });
    await docker.getContainer(c.Id).stop({ t: 0 });
    writeFileSync(join(src, "a.txt"), "a");
    await until(
      "warning",
      async () => reports("app").at(-1)?.status,
      (s) => s === "warning",
    );
    await docker.getContainer(c.Id).start();
    writeFileSync(join(src, "b.txt"), "b");
    await until(
      "synced after restart",
      () => catIn(name, "app", "/app/b.txt"),
      (v) => v === "b",
    );
  });

  it("polls where kernel notifications are not available (network file systems) and syncs the same", async () => {
    const src = join(dir, "polled");
    mkdirSync(src);
    await start(
      [{ name: "app", develop: { watch: [{ path: "./polled", action: "sync", target: "/app" }] } }] as Omit<
        ServiceConfig,
        "image"
      >[],
      { poll: true },
    );
    writeFileSync(join(src, "a.txt"), "polled");
    await until(
      "polled file",
      () => catIn(name, "app", "/app/a.txt"),
      (v) => v === "polled",
    );
  });

  it("gives synced files the container user's uid and gid, so that it can change them", async () => {
    const src = join(dir, "owned");
    mkdirSync(src);
    await start([
      {
        name: "app",
        user: "1000:1000",
        develop: { watch: [{ path: "./owned", action: "sync", target: "/tmp/app" }] },
      },
    ] as Omit<ServiceConfig, "image">[]);
    writeFileSync(join(src, "a.txt"), "mine");
    await until(
      "synced file",
      () => catIn(name, "app", "/tmp/app/a.txt"),
      (v) => v === "mine",
    );
    const ls = await execInService(docker, name, "app", ["stat", "-c", "%u:%g", "/tmp/app/a.txt"]);
    expect(ls.stdout.trim()).toBe("1000:1000");
  });
});
