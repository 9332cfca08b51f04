import { execFileSync, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { utils } from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawBuildkitBuild } from "../../../../../test/helpers/buildkit.mjs";
import {
  BUSYBOX,
  docker,
  removeImageTags,
  requireDocker,
  uniqueProject,
} from "../../../../../test/helpers/docker.js";
import { BuildSessionErrorCodes } from "./errors.js";
import { type BuildSessionOptions, openBuildSession, sessionBuildQuery } from "./session.js";

const DEBIAN = "berth-examples/debian:bookworm";

describe.skipIf(!requireDocker())("BuildKit session on the engine", () => {
  const project = uniqueProject("bk-session");
  const tags: string[] = [];
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "berth-bk-session-"));
  });

  afterAll(async () => {
    await removeImageTags(tags);
    await rm(work, { recursive: true, force: true });
  });

  /**
   * Builds `dir` (context and Dockerfile) over the session, tagged for cleanup. `nocache` for steps whose
   * result depends on a secret or an agent: BuildKit's cache keys leave their values out, so a run of
   * this file after an earlier one would otherwise reuse that run's step.
   */
  async function build(dir: string, name: string, options: BuildSessionOptions = {}, nocache = false) {
    const tag = `${project}-${name}:latest`;
    tags.push(tag);
    const session = await openBuildSession(docker, {
      dirs: { context: { path: dir }, dockerfile: { path: dir } },
      ...options,
    });
    try {
      const result = await rawBuildkitBuild(docker, {
        ...sessionBuildQuery(session, true),
        t: tag,
        dockerfile: "Dockerfile",
        ...(nocache ? { nocache: true } : {}),
      });
      return { ...result, tag, transfers: [...session.transfers] };
    } finally {
      await session.close();
    }
  }

  async function runImage(tag: string, cmd: string[]): Promise<string> {
    return execFileSync("docker", ["run", "--rm", tag, ...cmd], { encoding: "utf8" });
  }

  it("gives RUN --mount=type=secret the value of a file and of an environment variable, and keeps it nowhere", async () => {
    const dir = join(work, "secrets");
    await mkdir(dir);
    const fileValue = `file-secret-${randomBytes(8).toString("hex")}`;
    const envValue = `env-secret-${randomBytes(8).toString("hex")}`;
    const secretFile = join(work, "token.txt");
    await writeFile(secretFile, fileValue);
    const envName = `BERTH_TEST_SECRET_${process.pid}`;
    process.env[envName] = envValue;
    // The step proves it read each value by storing its hash; the value itself must stay out of the image.
    await writeFile(
      join(dir, "Dockerfile"),
      [
        `FROM ${BUSYBOX}`,
        "RUN --mount=type=secret,id=from_file --mount=type=secret,id=from_env \\",
        "    sha256sum /run/secrets/from_file /run/secrets/from_env > /hashes && cat /run/secrets/from_file /run/secrets/from_env | wc -c",
      ].join("\n"),
    );
    try {
      const result = await build(
        dir,
        "secrets",
        {
          secrets: { from_file: { file: secretFile }, from_env: { env: envName } },
        },
        true,
      );
      expect(result.error).toBeUndefined();
      const sha = (value: string) => createHash("sha256").update(value).digest("hex");
      const hashes = await runImage(result.tag, ["cat", "/hashes"]);
      expect(hashes).toContain(`${sha(fileValue)}  /run/secrets/from_file`);
      expect(hashes).toContain(`${sha(envValue)}  /run/secrets/from_env`);

      const history = execFileSync("docker", ["history", "--no-trunc", result.tag], { encoding: "utf8" });
      const saved = spawnSync("docker", ["save", result.tag], { maxBuffer: 64 * 1024 * 1024 }).stdout;
      for (const value of [fileValue, envValue]) {
        expect(result.output).not.toContain(value);
        expect(history).not.toContain(value);
        expect(saved.includes(Buffer.from(value))).toBe(false);
      }
    } finally {
      delete process.env[envName];
    }
  });

  it("answers an unknown secret id NotFound, so the step fails naming it", async () => {
    const dir = join(work, "unknown-secret");
    await mkdir(dir);
    await writeFile(
      join(dir, "Dockerfile"),
      `FROM ${BUSYBOX}\nRUN --mount=type=secret,id=nope,required cat /run/secrets/nope\n`,
    );
    const result = await build(dir, "unknown-secret", {});
    expect(result.error).toMatch(/secret nope not found/);
  });

  it("refuses a secret whose file is missing before the build starts", async () => {
    await expect(
      openBuildSession(docker, { secrets: { gone: { file: join(work, "missing.txt") } } }),
    ).rejects.toMatchObject({ code: BuildSessionErrorCodes.secretUnavailable });
  });

  // The step asks the forwarded agent for its identities (SSH2_AGENTC_REQUEST_IDENTITIES), then to sign
  // SIGNED_DATA with the first key (SSH2_AGENTC_SIGN_REQUEST), and keeps the answers.
  const SIGNED_DATA = "berth-ssh-forward-test";
  const askAgent =
    'use IO::Socket::UNIX; my $s = IO::Socket::UNIX->new(Peer => $ENV{SSH_AUTH_SOCK}) or die "connect: $!"; ' +
    'sub ask { print $s pack("N/a", $_[0]); read($s, my $h, 4); read($s, my $b, unpack("N", $h)); $b } ' +
    'my ($t, $n, $blob, $c) = unpack("C N N/a N/a", ask(pack("C", 11))); ' +
    `my $sig = ask(pack("C N/a N/a N", 13, $blob, "${SIGNED_DATA}", 0)); ` +
    'print "type=$t keys=$n comment=$c\\n", unpack("H*", $sig), "\\n";';

  /** Checks the step's answers: the key listed, and a signature the key's public half verifies. */
  function expectAgentAnswered(answer: string, comment: string, publicKeyFile: string): void {
    const [identities, signHex] = answer.trim().split("\n");
    expect(identities).toBe(`type=12 keys=1 comment=${comment}`);
    const response = Buffer.from(signHex, "hex");
    expect(response[0]).toBe(14); // SSH2_AGENT_SIGN_RESPONSE
    const blob = response.subarray(5, 5 + response.readUInt32BE(1));
    const format = blob.subarray(4, 4 + blob.readUInt32BE(0));
    const rest = blob.subarray(4 + format.length);
    const signature = rest.subarray(4, 4 + rest.readUInt32BE(0));
    const publicKey = utils.parseKey(readFileSync(publicKeyFile));
    if (publicKey instanceof Error || Array.isArray(publicKey)) throw new Error("unreadable public key");
    expect(publicKey.verify(Buffer.from(SIGNED_DATA), signature)).toBe(true);
  }

  it.each(["an agent socket", "a key file"])("forwards ssh to RUN --mount=type=ssh from %s", async (kind) => {
    const agentDir = await mkdtemp(join(tmpdir(), "berth-bk-ssh-"));
    const keyFile = join(agentDir, "id");
    const socket = join(agentDir, "agent.sock");
    const comment = `berth-test-key-${randomBytes(4).toString("hex")}`;
    let agentPid: number | undefined;
    try {
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", keyFile]);
      if (kind === "an agent socket") {
        const agent = execFileSync("ssh-agent", ["-a", socket, "-s"], { encoding: "utf8" });
        agentPid = Number(/SSH_AGENT_PID=(\d+)/.exec(agent)?.[1]);
        execFileSync("ssh-add", [keyFile], {
          env: { ...process.env, SSH_AUTH_SOCK: socket },
          stdio: "ignore",
        });
      }
      const dir = join(work, `ssh-${kind.split(" ").join("-")}`);
      await mkdir(dir);
      await writeFile(
        join(dir, "Dockerfile"),
        `FROM ${DEBIAN}\nRUN --mount=type=ssh perl -e '${askAgent}' > /ssh-check\n`,
      );
      const ssh = { default: [kind === "an agent socket" ? socket : keyFile] };
      const result = await build(dir, `ssh-${kind.split(" ").join("-")}`, { ssh }, true);
      expect(result.error).toBeUndefined();
      expectAgentAnswered(await runImage(result.tag, ["cat", "/ssh-check"]), comment, `${keyFile}.pub`);
    } finally {
      if (agentPid) process.kill(agentPid);
      await rm(agentDir, { recursive: true, force: true });
    }
  });

  it("refuses an encrypted key file before the build starts", async () => {
    const keyFile = join(work, "encrypted-key");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "a passphrase", "-f", keyFile]);
    await expect(openBuildSession(docker, { ssh: { deploy: [keyFile] } })).rejects.toMatchObject({
      code: BuildSessionErrorCodes.sshUnavailable,
      message: expect.stringMatching(/build ssh deploy: .*ssh-add/),
    });
  });

  it("refuses an ssh id whose socket does not exist before the build starts", async () => {
    await expect(
      openBuildSession(docker, { ssh: { default: [join(work, "no-agent.sock")] } }),
    ).rejects.toMatchObject({ code: BuildSessionErrorCodes.sshUnavailable });
  });

  it("serves the context over filesync: a changed file reaches the image, a .dockerignored one never does", async () => {
    const dir = join(work, "context");
    await mkdir(join(dir, "logs"), { recursive: true });
    await writeFile(join(dir, "Dockerfile"), `FROM ${BUSYBOX}\nCOPY . /ctx/\n`);
    await writeFile(join(dir, ".dockerignore"), "logs\n*.secret\n!keep.secret\n");
    await writeFile(join(dir, "app.txt"), "version 1\n");
    await writeFile(join(dir, "private.secret"), "ignored\n");
    await writeFile(join(dir, "keep.secret"), "re-included\n");
    await writeFile(join(dir, "logs", "today.log"), "ignored\n");

    const first = await build(dir, "context");
    expect(first.error).toBeUndefined();
    expect(await runImage(first.tag, ["sh", "-c", "cd /ctx && find . -type f | sort && cat app.txt"])).toBe(
      "./.dockerignore\n./Dockerfile\n./app.txt\n./keep.secret\nversion 1\n",
    );

    await writeFile(join(dir, "app.txt"), "version 2\n");
    const second = await build(dir, "context");
    expect(second.error).toBeUndefined();
    expect(await runImage(second.tag, ["cat", "/ctx/app.txt"])).toBe("version 2\n");
    // Only the changed file's content crossed the socket the second time.
    const context = second.transfers.filter((t) => t.dir === "context");
    expect(context.reduce((n, t) => n + t.filesSent, 0)).toBe(1);
    expect(context.reduce((n, t) => n + t.bytesSent, 0)).toBe("version 2\n".length);
  });

  it("applies a dir's own excludes instead of the patterns the frontend read, exactly as written", async () => {
    const dir = join(work, "own-excludes");
    await mkdir(dir);
    await writeFile(join(dir, "Dockerfile"), `FROM ${BUSYBOX}\nCOPY . /ctx/\n`);
    await writeFile(join(dir, ".dockerignore"), "a.txt\n");
    for (const name of ["a.txt", "b.txt", "x, y.txt", "x"]) await writeFile(join(dir, name), name);
    // A pattern with ", " would be split in two if it travelled in the engine's gRPC metadata.
    const result = await build(dir, "own-excludes", {
      dirs: { context: { path: dir, excludes: ["b.txt", "x, y.txt"] }, dockerfile: { path: dir } },
    });
    expect(result.error).toBeUndefined();
    expect(await runImage(result.tag, ["sh", "-c", "cd /ctx && ls -A | sort"])).toBe(
      ".dockerignore\nDockerfile\na.txt\nx\n",
    );
  });

  it("opens a session for a context whose folder name is no ASCII", async () => {
    const dir = join(work, "日本-app");
    await mkdir(dir);
    const session = await openBuildSession(docker, { dirs: { context: { path: dir } } });
    await session.close();
  });

  it("sends only the changed file of a large context to the second build", async () => {
    const dir = join(work, "large");
    await mkdir(join(dir, "data"), { recursive: true });
    const fileSize = 1024 * 1024;
    for (let i = 0; i < 40; i++) await writeFile(join(dir, "data", `blob-${i}.bin`), randomBytes(fileSize));
    await writeFile(join(dir, "Dockerfile"), `FROM ${BUSYBOX}\nCOPY data /data\nRUN du -s /data\n`);

    const first = await build(dir, "large");
    expect(first.error).toBeUndefined();
    const sent = (b: typeof first) =>
      b.transfers.filter((t) => t.dir === "context").reduce((n, t) => n + t.bytesSent, 0);
    expect(sent(first)).toBeGreaterThanOrEqual(40 * fileSize);

    const changed = join(dir, "data", "blob-7.bin");
    await writeFile(changed, randomBytes(fileSize));
    // Same size, and an mtime a second later for file systems with coarse timestamps.
    const later = new Date(Date.now() + 1000);
    await utimes(changed, later, later);
    const second = await build(dir, "large");
    expect(second.error).toBeUndefined();
    expect(sent(second)).toBe(fileSize);
    const digest = execFileSync("sha256sum", [changed], { encoding: "utf8" }).split(" ")[0];
    expect(await runImage(second.tag, ["sha256sum", "/data/blob-7.bin"])).toContain(digest);
    // Two builds of 40 MB: ~15 s here when the machine is idle, over the default 60 s when it is busy.
  }, 180_000);
});
