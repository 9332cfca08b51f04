import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBerth, runCommand } from "../../packages/cli/src/e2e/harness.js";
import { removeProject } from "../../packages/cli/src/e2e/project-cleanup.js";
import { BUSYBOX, docker, requireDocker, uniqueProject } from "../helpers/docker.js";

/**
 * A build context never sends what `.dockerignore` excludes nor anything outside the context: a context
 * holding `.env`, `.git/`, a secret file and symlinks pointing out of it is built with `COPY . /ctx`,
 * and the image is searched byte for byte (`docker save`) for each of those contents. Without a
 * `.dockerignore`, `.git` is sent, as the docker CLI does.
 */

const rand = () => Math.random().toString(36).slice(2, 10);
/** Contents that must not reach the image; random so that a hit can only be a leak. */
const hidden = {
  dotenv: `dotenv-${rand()}`,
  nestedDotenv: `nested-dotenv-${rand()}`,
  git: `git-config-${rand()}`,
  secretFile: `secret-file-${rand()}`,
  outside: `outside-${rand()}`,
};
/** Contents that must reach it: the positive control of the search. */
const shown = { app: `app-${rand()}`, plainGit: `plain-git-${rand()}` };

describe.skipIf(!requireDocker())("security: build context", () => {
  const project = uniqueProject("sec-ctx");
  const image = (service: string) => `${project}-${service}`;
  let root: string;
  let projectDir: string;
  const berth = (args: string[]) =>
    runBerth(["-p", project, ...args], { cwd: projectDir, timeoutMs: 110_000 });
  const run = (img: string, script: string) =>
    runCommand("docker", [
      "run",
      "--rm",
      "--label",
      `com.docker.compose.project=${project}`,
      img,
      "sh",
      "-c",
      script,
    ]);

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), "berth-sec-ctx-"));
    const outside = path.join(root, "outside");
    mkdirSync(outside);
    writeFileSync(path.join(outside, "outside-secret.txt"), hidden.outside);
    projectDir = path.join(root, "proj");
    const ctx = path.join(projectDir, "ctx");
    mkdirSync(path.join(ctx, ".git"), { recursive: true });
    mkdirSync(path.join(ctx, "nested"));
    writeFileSync(path.join(ctx, "Dockerfile"), `FROM ${BUSYBOX}\nCOPY . /ctx\n`);
    // The builder follows a symlink it is asked to copy: the target must not be in the context either.
    writeFileSync(path.join(ctx, "Dockerfile.link"), `FROM ${BUSYBOX}\nCOPY link-out /x\n`);
    writeFileSync(path.join(ctx, ".dockerignore"), ".env\n**/.env\n.git\nsecret.txt\n");
    writeFileSync(path.join(ctx, "app.txt"), shown.app);
    writeFileSync(path.join(ctx, ".env"), `TOKEN=${hidden.dotenv}\n`);
    writeFileSync(path.join(ctx, "nested", ".env"), `TOKEN=${hidden.nestedDotenv}\n`);
    writeFileSync(path.join(ctx, "nested", "keep.txt"), "keep");
    writeFileSync(path.join(ctx, ".git", "config"), hidden.git);
    writeFileSync(path.join(ctx, ".git", "HEAD"), "ref: refs/heads/main\n");
    writeFileSync(path.join(ctx, "secret.txt"), hidden.secretFile);
    symlinkSync("../../outside/outside-secret.txt", path.join(ctx, "link-out"));
    symlinkSync(path.join(outside, "outside-secret.txt"), path.join(ctx, "link-abs"));

    // `COPY ../…` reaches out of its context.
    const escapeDir = path.join(projectDir, "escape");
    mkdirSync(escapeDir);
    writeFileSync(
      path.join(escapeDir, "Dockerfile"),
      `FROM ${BUSYBOX}\nCOPY ../../outside/outside-secret.txt /x\n`,
    );

    // No .dockerignore: .git is sent, as docker does.
    const plain = path.join(projectDir, "plain");
    mkdirSync(path.join(plain, ".git"), { recursive: true });
    writeFileSync(path.join(plain, "Dockerfile"), `FROM ${BUSYBOX}\nCOPY . /ctx\n`);
    writeFileSync(path.join(plain, ".git", "config"), shown.plainGit);

    writeFileSync(
      path.join(projectDir, "compose.yaml"),
      `services:
  ignored:
    build: ./ctx
  followlink:
    build: { context: ./ctx, dockerfile: Dockerfile.link }
  escape:
    build: ./escape
  plain:
    build: ./plain
`,
    );
  });

  afterAll(async () => {
    await removeProject(project);
    for (const s of ["ignored", "followlink", "escape", "plain"])
      await docker
        .getImage(image(s))
        .remove({ force: true })
        .catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  });

  it("leaves out what .dockerignore lists and keeps symlinks pointing out as links", async () => {
    const build = await berth(["build", "ignored"]);
    expect(build.code, build.stderr).toBe(0);
    const files = (await run(image("ignored"), "cd /ctx && find . | sort")).stdout
      .split("\n")
      .filter(Boolean);
    expect(files).toEqual(
      expect.arrayContaining(["./Dockerfile", "./app.txt", "./nested/keep.txt", "./link-out", "./link-abs"]),
    );
    for (const gone of ["./.env", "./nested/.env", "./.git", "./.git/config", "./secret.txt"])
      expect(files).not.toContain(gone);
    // The links arrive as links whose targets are not in the image.
    const links = await run(image("ignored"), "readlink /ctx/link-out; cat /ctx/link-out /ctx/link-abs");
    expect(links.stdout).toContain("../../outside/outside-secret.txt");
    expect(links.code).not.toBe(0);
  }, 120_000);

  it("no excluded or outside content is anywhere in the image's layers", async () => {
    const saved = await saveImage(image("ignored"));
    expect(saved.includes(shown.app), "the search finds what was sent").toBe(true);
    for (const [name, value] of Object.entries(hidden)) expect(saved.includes(value), name).toBe(false);
  }, 120_000);

  it("a Dockerfile that copies a link or ../ out of the context fails without the content", async () => {
    for (const service of ["followlink", "escape"]) {
      const r = await berth(["build", service]);
      expect(r.code, service).toBe(1);
      expect(r.stderr).toContain(service);
      expect(r.stdout + r.stderr).not.toContain(hidden.outside);
      const exists = await docker
        .getImage(image(service))
        .inspect()
        .then(() => true)
        .catch(() => false);
      expect(exists, service).toBe(false);
    }
  }, 120_000);

  it("without .dockerignore, .git is sent like docker sends it", async () => {
    const build = await berth(["build", "plain"]);
    expect(build.code, build.stderr).toBe(0);
    expect((await run(image("plain"), "cat /ctx/.git/config")).stdout).toBe(shown.plainGit);
  }, 120_000);
});

/** The image as `docker save` writes it (uncompressed layer tars), for a byte search of its files. */
async function saveImage(name: string): Promise<Buffer> {
  const stream = await docker.getImage(name).get();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
