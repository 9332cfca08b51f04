import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBerth, runCommand } from "../../packages/cli/src/e2e/harness.js";
import { removeProject } from "../../packages/cli/src/e2e/project-cleanup.js";
import { BUSYBOX, docker, requireDocker, uniqueProject } from "../helpers/docker.js";

/**
 * Secrets and configs reach the container as read-only files with the mode and owner the reference
 * asks for (default 0444), checked from inside a real container with `stat` and write attempts. A
 * `file:` source referenced without mode/uid/gid is the host file itself, mounted read-only (its mode
 * is the host file's, as in docker compose). Runs as root, like CI (which starts dockerd): giving a
 * file to uid 1000 needs CAP_CHOWN; without it `up` fails with FILE_OBJECT_FAILED, naming the secret.
 */

const IDLE = `["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]`;
const uid = process.getuid?.() ?? 0;
/** Where the engine writes its copies (engine's fileObjectDir, not exported): the temp dir, per user and project. */
const fileObjectDir = (project: string) => path.join(tmpdir(), `berth-${uid}`, project);
const gid = process.getgid?.() ?? 0;

const compose = `
services:
  app:
    image: ${BUSYBOX}
    command: ${IDLE}
    secrets:
      - plain_file
      - source: owned_file
        target: owned
        mode: 0400
        uid: "1000"
        gid: "1001"
      - from_env
      - source: from_env
        target: env_0440
        mode: 0440
        gid: "1001"
    configs:
      - source: conf_content
        target: /etc/app.conf
        mode: 0600
      - conf_file
secrets:
  plain_file:
    file: ./plain.txt
  owned_file:
    file: ./owned.txt
  from_env:
    environment: SEC_FROM_ENV
configs:
  conf_content:
    content: "listen 8080"
  conf_file:
    file: ./app.conf
`;

describe.skipIf(!requireDocker())("security: secret and config files", () => {
  const project = uniqueProject("sec-modes");
  const container = `${project}-app-1`;
  let dir: string;
  const env = { SEC_FROM_ENV: "from-the-environment" };
  const berth = (args: string[]) => runBerth(["-p", project, ...args], { cwd: dir, env, timeoutMs: 110_000 });
  const exec = (args: string[], user?: string) =>
    runCommand("docker", ["exec", ...(user ? ["-u", user] : []), container, ...args]);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "berth-sec-modes-"));
    writeFileSync(path.join(dir, "compose.yaml"), compose);
    writeFileSync(path.join(dir, "plain.txt"), "plain-secret");
    chmodSync(path.join(dir, "plain.txt"), 0o640);
    writeFileSync(path.join(dir, "owned.txt"), "owned-secret");
    writeFileSync(path.join(dir, "app.conf"), "conf-file");
    chmodSync(path.join(dir, "app.conf"), 0o644);
    const up = await berth(["up", "-d"]);
    expect(up.code, up.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await removeProject(project);
    rmSync(fileObjectDir(project), { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  const files: [string, string, string][] = [
    // path in the container, expected `stat -c '%a %u %g'`, expected content
    ["/run/secrets/plain_file", `640 ${uid} ${gid}`, "plain-secret"],
    ["/run/secrets/owned", "400 1000 1001", "owned-secret"],
    ["/run/secrets/from_env", `444 ${uid} ${gid}`, "from-the-environment"],
    ["/run/secrets/env_0440", `440 ${uid} 1001`, "from-the-environment"],
    ["/etc/app.conf", `600 ${uid} ${gid}`, "listen 8080"],
    ["/conf_file", `644 ${uid} ${gid}`, "conf-file"],
  ];

  it.each(files)("%s has mode and owner %s and the right content", async (file, modeOwner, content) => {
    expect((await exec(["stat", "-c", "%a %u %g", file])).stdout.trim()).toBe(modeOwner);
    expect((await exec(["cat", file])).stdout).toBe(content);
  });

  it.each(files)("%s cannot be written, replaced or chmod-ed, even by root", async (file) => {
    const write = await exec(["sh", "-c", `echo changed >> ${file}`]);
    expect(write.code).not.toBe(0);
    expect(write.stderr).toMatch(/read-only file system/i);
    expect((await exec(["chmod", "666", file])).code).not.toBe(0);
    expect((await exec(["rm", "-f", file])).code).not.toBe(0);
  });

  it("every secret and config is a read-only mount", async () => {
    const mounts = (await docker.getContainer(container).inspect()).Mounts;
    const targets = files.map(([f]) => f);
    for (const t of targets) expect(mounts.find((m) => m.Destination === t)?.RW, t).toBe(false);
  });

  it("the owner and mode decide who in the container may read", async () => {
    expect((await exec(["cat", "/run/secrets/owned"], "1000")).stdout).toBe("owned-secret");
    const other = await exec(["cat", "/run/secrets/owned"], "2000");
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/permission denied/i);
    // 0440 with gid 1001: group members read, others do not.
    expect((await exec(["cat", "/run/secrets/env_0440"], "2000:1001")).code).toBe(0);
    expect((await exec(["cat", "/run/secrets/env_0440"], "2000:2000")).code).not.toBe(0);
  });

  it("the host copies are private to Berth's user, rewritten by the next up and removed by down", async () => {
    const hostDir = fileObjectDir(project);
    expect(statSync(hostDir).mode & 0o777).toBe(0o700);
    const again = await berth(["up", "-d"]);
    expect(again.code, again.stderr).toBe(0);
    expect((await exec(["stat", "-c", "%a %u %g", "/run/secrets/owned"])).stdout.trim()).toBe(
      "400 1000 1001",
    );
    const down = await berth(["down", "-t", "0"]);
    expect(down.code, down.stderr).toBe(0);
    expect(existsSync(hostDir)).toBe(false);
  }, 120_000);
});
