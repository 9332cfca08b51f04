import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireBuiltCli, runBerth, tempDir } from "../compose-differences/berth-process.js";
import { cleanup } from "../compose-differences/project.js";
import { BUSYBOX, docker, removeProjectImageTags, requireDocker, uniqueProject } from "../helpers/docker.js";

// Issue #14: `berth build` builds with the engine's BuildKit, each case through a compose file and
// each image checked by running it. Offline: bases are the local example images.
const DEBIAN = "berth-examples/debian:bookworm";

function run(image: string, script: string): string {
  return execFileSync("docker", ["run", "--rm", "--entrypoint", "sh", image, "-c", script], {
    encoding: "utf8",
  });
}

describe.skipIf(!requireDocker())("BuildKit builds", () => {
  const projects: string[] = [];
  const dirs: { cleanup: () => void }[] = [];
  beforeAll(() => requireBuiltCli());
  afterAll(async () => {
    for (const p of projects) {
      await cleanup(p);
      await removeProjectImageTags(p);
    }
    for (const d of dirs) d.cleanup();
  });

  /** A project folder with these files (`a/b` makes folders) and its unique name. */
  function projectDir(files: Record<string, string>): { dir: string; project: string } {
    const project = uniqueProject("bk");
    projects.push(project);
    const tmp = tempDir({});
    dirs.push(tmp);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(tmp.dir, name, ".."), { recursive: true });
      writeFileSync(join(tmp.dir, name), text);
    }
    return { dir: tmp.dir, project };
  }

  const berth = (p: { dir: string; project: string }, args: string[], env: Record<string, string> = {}) =>
    runBerth(["--progress", "plain", "-p", p.project, ...args], p.dir, env);

  it("reuses a cache mount in a second build, binds a file from a stage, COPY --chmod, platform args, target", async () => {
    const cacheId = uniqueProject("bk-cache");
    const p = projectDir({
      Dockerfile: [
        `FROM ${BUSYBOX} AS tools`,
        "RUN echo from-stage > /tool.txt",
        `FROM ${BUSYBOX} AS app`,
        "ARG TARGETARCH",
        "ARG BUILDPLATFORM",
        "ARG NONCE",
        // NONCE changes the step each build, so the second one runs it again and finds the cache mount
        // (whose id is this test's: cache mounts are shared across builds by id).
        `RUN --mount=type=cache,id=${cacheId},target=/cache echo "$NONCE" >> /cache/runs && wc -l < /cache/runs | tr -d ' ' > /runs`,
        "RUN --mount=type=bind,from=tools,source=/tool.txt,target=/mnt/tool.txt cp /mnt/tool.txt /tool.txt",
        "COPY --chmod=750 run.sh /run.sh",
        'RUN echo "$TARGETARCH $BUILDPLATFORM" > /platform',
        `FROM ${BUSYBOX} AS unused`,
        "RUN exit 1",
        "",
      ].join("\n"),
      "run.sh": "#!/bin/sh\necho ran\n",
      "compose.yaml":
        "services:\n  app:\n    build:\n      context: .\n      target: app\n      args:\n        NONCE: ${NONCE}\n",
    });
    const first = await berth(p, ["build"], { NONCE: `one-${p.project}` });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/\[app app 2\/5\] RUN --mount=type=cache.* {2}DONE/);
    const second = await berth(p, ["build"], { NONCE: `two-${p.project}` });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/\[app tools 2\/2\] RUN echo from-stage > \/tool.txt {2}CACHED/);
    const image = `${p.project}-app`;
    const arch = execFileSync("docker", ["version", "--format", "{{.Server.Arch}}"], {
      encoding: "utf8",
    }).trim();
    expect(run(image, "cat /runs /tool.txt /platform; stat -c %a /run.sh; /run.sh")).toBe(
      `2\nfrom-stage\n${arch} linux/${arch}\n750\nran\n`,
    );
  });

  it("gives build secrets from a file and from an environment variable to the step, and keeps them out of the image and the output", async () => {
    const fileSecret = "file-secret-4f1c9a";
    const envSecret = "env-secret-8d2b7e";
    const p = projectDir({
      Dockerfile: [
        `FROM ${BUSYBOX}`,
        "RUN --mount=type=secret,id=token --mount=type=secret,id=api_key " +
          "cat /run/secrets/token /run/secrets/api_key && " +
          "wc -c < /run/secrets/token | tr -d ' ' > /lengths && wc -c < /run/secrets/api_key | tr -d ' ' >> /lengths",
        "",
      ].join("\n"),
      "token.txt": fileSecret,
      "compose.yaml": [
        "services:",
        "  app:",
        "    build:",
        "      context: .",
        "      secrets: [token, {source: apikey, target: api_key}]",
        "secrets:",
        "  token:",
        "    file: ./token.txt",
        "  apikey:",
        "    environment: BUILD_API_KEY",
        "",
      ].join("\n"),
    });
    for (const progress of ["plain", "json"]) {
      const result = await runBerth(["--progress", progress, "-p", p.project, "build", "--no-cache"], p.dir, {
        BUILD_API_KEY: envSecret,
      });
      expect(result.code, result.stderr).toBe(0);
      const output = result.stdout + result.stderr;
      expect(output).not.toContain(fileSecret);
      expect(output).not.toContain(envSecret);
      // The step printed both values; what reached the output is masked.
      if (progress === "json") expect(output).toContain("********");
    }
    // An unset variable fails before any build starts, naming the service, the key and the secret.
    const unset = await berth(p, ["build"]);
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain(
      "error: service app: build.secrets: build secret api_key: environment variable BUILD_API_KEY is not set",
    );
    expect(unset.stderr).not.toContain("Building");
    const image = `${p.project}-app`;
    expect(run(image, "cat /lengths; ls /run/secrets 2>&1 | wc -l")).toBe(
      `${fileSecret.length}\n${envSecret.length}\n0\n`,
    );
    const history = execFileSync("docker", ["history", "--no-trunc", image], { encoding: "utf8" });
    const saved = execFileSync("sh", ["-c", `docker save ${image} | strings`], {
      encoding: "utf8",
      maxBuffer: 64 << 20,
    });
    for (const text of [history, saved]) {
      expect(text).not.toContain(fileSecret);
      expect(text).not.toContain(envSecret);
    }
  });

  it("sends the context without what .dockerignore excludes, and --build-arg overrides args", async () => {
    const p = projectDir({
      Dockerfile: `FROM ${BUSYBOX}\nARG WHO=file\nCOPY . /ctx\nRUN echo "$WHO" > /who\n`,
      ".dockerignore": "node_modules\n*.log\n!keep.log\n",
      "node_modules/dep/index.js": "x",
      "debug.log": "x",
      "keep.log": "x",
      "src/main.js": "x",
      "compose.yaml": "services:\n  app:\n    build:\n      context: .\n      args:\n        WHO: compose\n",
    });
    const result = await berth(p, ["build", "--build-arg", "WHO=flag"]);
    expect(result.code, result.stderr).toBe(0);
    expect(run(`${p.project}-app`, "cd /ctx && find . -type f | sort; cat /who")).toBe(
      "./.dockerignore\n./Dockerfile\n./compose.yaml\n./keep.log\n./src/main.js\nflag\n",
    );
  });

  it("fails a step with its last log lines and the Dockerfile line of its instruction", async () => {
    const p = projectDir({
      Dockerfile: `FROM ${BUSYBOX}\nARG CODE=3\nRUN echo first-line && \\\n  echo last-line && exit $CODE\n`,
      "compose.yaml": "services:\n  app:\n    build: .\n",
    });
    const result = await berth(p, ["build"]);
    expect(result.code).toBe(1);
    // The file is shown relative to the working directory, as for compose files.
    expect(result.stderr).toMatch(
      /error: Dockerfile:3:1: service app failed to build at \[app 2\/2\] RUN echo first-line && +echo last-line && exit 3: executor failed running .*: exit code: 3\n\s+first-line\n\s+last-line\n/,
    );
    expect(result.stderr).toMatch(/\[app 2\/2\] RUN echo first-line.* {2}ERROR/);
  });

  it("refuses what this engine's frontend cannot parse, and keys it cannot honour, before building anything", async () => {
    const p = projectDir({
      "link/Dockerfile": `FROM ${BUSYBOX}\nCOPY --link . /src\n`,
      "heredoc/Dockerfile": `FROM ${BUSYBOX}\nRUN <<EOT\necho hi\nEOT\n`,
      "compose.yaml": [
        "services:",
        "  fine:",
        `    build: {context: ., dockerfile_inline: "FROM ${BUSYBOX}\\nRUN echo fine"}`,
        "  link:",
        "    build: ./link",
        "  heredoc:",
        "    build: ./heredoc",
        "  contexts:",
        "    build:",
        "      context: ./link",
        "      additional_contexts: {assets: ./heredoc}",
        "  multi:",
        "    build:",
        "      context: ./link",
        "      platforms: [linux/amd64, linux/arm64]",
        "",
      ].join("\n"),
    });
    const cases: [string, string][] = [
      [
        "link",
        `service link: COPY --link (${p.dir}/link/Dockerfile:2): it needs Dockerfile frontend 1.4 or later`,
      ],
      [
        "heredoc",
        `service heredoc: heredoc (RUN <<EOT) (${p.dir}/heredoc/Dockerfile:2): it needs Dockerfile frontend 1.4`,
      ],
      [
        "contexts",
        "service contexts: build.additional_contexts (named contexts): it needs Dockerfile frontend 1.4",
      ],
      ["multi", "service multi: build.platforms: several platforms (linux/amd64, linux/arm64)"],
    ];
    for (const [service, message] of cases) {
      const result = await berth(p, ["build", "fine", service]);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain(`error: ${message}`);
      expect(result.stderr).toMatch(/# syntax=docker\/dockerfile:1|multi-platform/);
      // Nothing was built, not even the service that could have been.
      expect(result.stderr).not.toContain("Building");
    }
    const images = await docker.listImages({ filters: { reference: [`${p.project}-*`] } });
    expect(images).toEqual([]);
  });

  it("refuses a cycle of service: contexts before building anything, naming the cycle", async () => {
    const p = projectDir({
      Dockerfile: `FROM ${BUSYBOX}\n`,
      "compose.yaml": [
        "services:",
        "  fine:",
        "    build: .",
        "  a:",
        "    build: {context: ., additional_contexts: {b: 'service:b'}}",
        "  b:",
        "    build: {context: ., additional_contexts: {a: 'service:a'}}",
        "",
      ].join("\n"),
    });
    const result = await berth(p, ["build"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "error: service b: build.additional_contexts: service:a makes a cycle of builds (a -> b -> a)",
    );
    expect(result.stderr).not.toContain("Building");
    expect(await docker.listImages({ filters: { reference: [`${p.project}-*`] } })).toEqual([]);
  });

  it("names the frontend image of a # syntax= line that cannot be pulled", async () => {
    const p = projectDir({
      Dockerfile: `# syntax=berth-test.invalid/dockerfile:1\nFROM ${BUSYBOX}\nCOPY --link . /src\n`,
      "compose.yaml": "services:\n  app:\n    build: .\n",
    });
    const result = await berth(p, ["build"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "error: service app: the Dockerfile frontend berth-test.invalid/dockerfile:1 named by its `# syntax=` line could not be pulled",
    );
  });

  it("builds with the legacy builder under DOCKER_BUILDKIT=0, saying so once", async () => {
    const p = projectDir({
      Dockerfile: `FROM ${BUSYBOX}\nRUN echo legacy > /built\n`,
      "compose.yaml": "services:\n  a:\n    build: .\n  b:\n    build: .\n",
    });
    const result = await berth(p, ["build"], { DOCKER_BUILDKIT: "0" });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.match(/Legacy builder/g)).toHaveLength(1);
    expect(result.stderr).toContain("building with the engine's legacy builder (DOCKER_BUILDKIT=0)");
    expect(result.stderr).not.toMatch(/\[a \d/);
    expect(run(`${p.project}-a`, "cat /built")).toBe("legacy\n");
  });

  it("forwards SSH_AUTH_SOCK's agent as ssh default and another agent's socket as a named id", async () => {
    const p = projectDir({});
    const pids: string[] = [];
    try {
      for (const name of ["agent-key", "deploy-key"]) {
        const socket = join(p.dir, `${name}.sock`);
        const agent = execFileSync("ssh-agent", ["-a", socket, "-s"], { encoding: "utf8" });
        pids.push(/SSH_AGENT_PID=(\d+)/.exec(agent)?.[1] ?? "");
        const key = join(p.dir, name);
        execFileSync("ssh-keygen", [
          "-q",
          "-t",
          "ed25519",
          "-N",
          "",
          "-C",
          `${p.project}-${name}`,
          "-f",
          key,
        ]);
        execFileSync("ssh-add", [key], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: "ignore" });
      }
      // Each step asks its forwarded agent for its identities and keeps the first key's comment.
      const ask =
        'use IO::Socket::UNIX; my $s = IO::Socket::UNIX->new(Peer => $ENV{SSH_AUTH_SOCK}) or die "connect: $!"; ' +
        'print $s pack("NC", 1, 11); read($s, my $h, 4); read($s, my $b, unpack("N", $h)); ' +
        'my ($t, $n, $blob, $c) = unpack("C N N/a N/a", $b); print "$c\\n";';
      // The project in the steps keeps them out of the cache of earlier runs (ssh mounts do not key it).
      writeFileSync(
        join(p.dir, "Dockerfile"),
        `FROM ${DEBIAN}\nRUN --mount=type=ssh perl -e '${ask}' > /default # ${p.project}\nRUN --mount=type=ssh,id=deploy perl -e '${ask}' > /deploy\n`,
      );
      writeFileSync(
        join(p.dir, "compose.yaml"),
        "services:\n  app:\n    build:\n      context: .\n      ssh: [default, deploy=./deploy-key.sock]\n",
      );
      writeFileSync(join(p.dir, ".dockerignore"), "*-key*\n");
      const result = await berth(p, ["build"], { SSH_AUTH_SOCK: join(p.dir, "agent-key.sock") });
      expect(result.code, result.stderr).toBe(0);
      expect(run(`${p.project}-app`, "cat /default /deploy")).toBe(
        `${p.project}-agent-key\n${p.project}-deploy-key\n`,
      );
    } finally {
      for (const pid of pids) if (pid) process.kill(Number(pid));
    }
  });

  it("builds a Debian-based image with a cache mount for its package step", async () => {
    const p = projectDir({
      Dockerfile: [
        `FROM ${DEBIAN}`,
        "RUN --mount=type=cache,target=/var/cache/berth echo cached > /var/cache/berth/x && cp /var/cache/berth/x /x",
        "",
      ].join("\n"),
      "compose.yaml": "services:\n  app:\n    build: .\n",
    });
    const result = await berth(p, ["build"]);
    expect(result.code, result.stderr).toBe(0);
    expect(run(`${p.project}-app`, "cat /x")).toBe("cached\n");
  });
});
