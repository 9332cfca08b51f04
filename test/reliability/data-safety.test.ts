import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, runCommand } from "../../packages/cli/src/e2e/harness.js";
import { BUSYBOX, docker, removeProjectResources, requireDocker, uniqueProject } from "../helpers/docker.js";

/**
 * Issue #7, "Data": named volumes and their data survive every operation but `down -v` and
 * `docker volume rm`; external volumes and networks survive everything. Each case runs operations
 * through the real `berth` process (the built bin: run `pnpm build` first), then reads the data back
 * from the volumes themselves (a throwaway container) and from every running container of the service.
 */

const execFileAsync = promisify(execFile);
/** BERTH_TEST_BIN runs the same tests against another build, e.g. one from before a fix. */
const BIN =
  process.env.BERTH_TEST_BIN ?? fileURLToPath(new URL("../../packages/cli/bin/berth.js", import.meta.url));
const PROJECT_LABEL = "com.docker.compose.project";
const SLEEP = ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"];
const COMPOSE_V1 = "/usr/bin/docker-compose";

/** Runs `berth ARGS` in `cwd` to completion; resolves whatever the exit code. */
function berth(cwd: string, args: string[]): Promise<CliResult> {
  // `--` as in the bin's shebang: node 20 would read berth's own `--env-file` as its own.
  return runCommand(process.execPath, ["--", BIN, ...args], {
    cwd,
    env: { NO_COLOR: "1" },
    timeoutMs: 100_000,
  });
}

async function dockerCli(args: string[]): Promise<string> {
  const { stdout } = await execFileAsync("docker", args, { timeout: 60_000 });
  // Only the end: a leading empty line is an empty file, one line per file read.
  return stdout.trimEnd();
}

/**
 * The file `token` in each volume, read by one throwaway container; undefined for a volume that does not
 * exist or holds no token.
 */
async function readVolumes(volumes: string[]): Promise<(string | undefined)[]> {
  // `docker run -v` would create a missing volume: look first.
  const exists = await Promise.all(volumes.map(volumeExists));
  const mounted = volumes.filter((_, i) => exists[i]);
  if (!mounted.length) return volumes.map(() => undefined);
  const out = await dockerCli([
    ...["run", "--rm", ...mounted.flatMap((v, i) => ["-v", `${v}:/v${i}:ro`]), BUSYBOX, "sh", "-c"],
    mounted.map((_, i) => `echo "$(cat /v${i}/token 2>/dev/null)"`).join("; "),
  ]);
  const lines = out.split("\n");
  return volumes.map((v, i) => (exists[i] ? lines[mounted.indexOf(v)] || undefined : undefined));
}

/** Writes `text` to the file `token` in a volume (made if missing), from a throwaway container. */
async function writeVolume(volume: string, text: string): Promise<void> {
  await dockerCli(["run", "--rm", "-v", `${volume}:/v`, BUSYBOX, "sh", "-c", `echo ${text} > /v/token`]);
}

async function readVolume(volume: string): Promise<string | undefined> {
  return (await readVolumes([volume]))[0];
}

async function volumeExists(volume: string): Promise<boolean> {
  return docker
    .getVolume(volume)
    .inspect()
    .then(
      () => true,
      (err: { statusCode?: number }) => {
        if (err.statusCode === 404) return false;
        throw err;
      },
    );
}

/** Running containers of a service, by container number. */
async function running(project: string, service: string): Promise<{ id: string; image: string }[]> {
  const list = await docker.listContainers({
    filters: { label: [`${PROJECT_LABEL}=${project}`, `com.docker.compose.service=${service}`] },
  });
  return list
    .sort(
      (a, b) =>
        Number(a.Labels["com.docker.compose.container-number"]) -
        Number(b.Labels["com.docker.compose.container-number"]),
    )
    .map((c) => ({ id: c.Id, image: c.Image }));
}

/** What a running container reads at `files` (missing files read as empty lines). */
async function readInside(id: string, files: string[]): Promise<string[]> {
  // $(…) drops the file's own trailing newline: one line per file.
  const script = files.map((f) => `echo "$(cat ${f} 2>/dev/null)"`).join("; ");
  const out = await dockerCli(["exec", id, "sh", "-c", script]);
  return out.split("\n");
}

function expectOk(result: CliResult, what: string): void {
  expect(result.code, `berth ${what} failed:\n${result.stdout}\n${result.stderr}`).toBe(0);
}

/** Removes what a case left: containers, networks and volumes by the project's label, then `extra` names. */
async function removeProject(
  project: string,
  extra: { volumes?: string[]; networks?: string[]; images?: string[] } = {},
): Promise<void> {
  const gone = () => undefined;
  await removeProjectResources(project);
  for (const n of extra.networks ?? []) await docker.getNetwork(n).remove().catch(gone);
  for (const v of extra.volumes ?? []) await docker.getVolume(v).remove().catch(gone);
  // By name, never by ID: a tag of the shared busybox image must only be untagged.
  for (const i of extra.images ?? []) await docker.getImage(i).remove().catch(gone);
}

beforeAll(() => {
  if (
    !process.env.BERTH_TEST_BIN &&
    !existsSync(fileURLToPath(new URL("../../packages/cli/dist/berth.cjs", import.meta.url)))
  )
    throw new Error("packages/cli is not built: run pnpm build");
});

describe.skipIf(!requireDocker())("data safety: one project through every operation", () => {
  const project = uniqueProject("data");
  // Made in beforeAll, not while collecting: a skipped or filtered-out describe leaves nothing.
  const dir = path.join(tmpdir(), project);
  const named = `${project}_data`;
  const external = `${project}-ext-volume`;
  const externalNet = `${project}-ext-net`;
  // A second name for busybox: a change of `image:` that needs no registry.
  const retagged = `berth-test-data-retag-${randomUUID().slice(0, 8)}:v2`;
  const builtImage = `${project}-built`;
  const token = randomUUID();
  const externalToken = randomUUID();
  let externalNetId = "";

  type Variant = {
    image?: string;
    /** A second service mounting the volume, to be made an orphan. */
    extra?: boolean;
    /** A service built from a Dockerfile (no `image:`), for `down --rmi local`. */
    built?: boolean;
    /** The named volume's own settings in the file. */
    data?: Record<string, unknown>;
  };
  const writeFile = (v: Variant = {}) => {
    const base = { command: SLEEP, stop_grace_period: "1s", volumes: ["data:/data"] };
    const file = {
      services: {
        svc: {
          ...base,
          image: v.image ?? BUSYBOX,
          volumes: ["data:/data", "ext:/ext"],
          networks: ["default", "extnet"],
        },
        ...(v.extra ? { extra: { ...base, image: BUSYBOX } } : {}),
        ...(v.built ? { built: { ...base, build: "." } } : {}),
      },
      volumes: { data: v.data ?? {}, ext: { external: true, name: external } },
      networks: { extnet: { external: true, name: externalNet } },
    };
    // JSON is YAML: no quoting to get wrong.
    writeFileSync(path.join(dir, "compose.yaml"), JSON.stringify(file, null, 2));
  };
  const run = (...args: string[]) => berth(dir, ["-p", project, "--progress", "plain", ...args]);
  const ok = async (...args: string[]) => {
    const result = await run(...args);
    expectOk(result, args.join(" "));
    return result;
  };

  beforeAll(async () => {
    mkdirSync(dir);
    writeFileSync(path.join(dir, "Dockerfile"), `FROM ${BUSYBOX}\nLABEL berth.test=data-safety\n`);
    await dockerCli(["tag", BUSYBOX, retagged]);
    await dockerCli(["volume", "create", external]);
    externalNetId = await dockerCli(["network", "create", externalNet]);
    await writeVolume(external, externalToken);
    writeFile();
    await ok("up", "-d");
    // The service itself writes the data, as an application would.
    const [first] = await running(project, "svc");
    await dockerCli(["exec", first.id, "sh", "-c", `echo ${token} > /data/token`]);
    expect(await readVolume(named)).toBe(token);
  }, 180_000);

  afterAll(async () => {
    try {
      await run("down", "-v", "--remove-orphans", "--rmi", "local");
    } finally {
      await removeProject(project, {
        volumes: [external],
        networks: [externalNet],
        images: [retagged, builtImage],
      });
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  /**
   * After every case: the external volume holds its token, the external network is the same network,
   * the named volume is as the case says, and every running container of `svc` reads the tokens.
   */
  const check = async (expected: { named: "kept" | "removed" | "new"; replicas: number }) => {
    expect(await volumeExists(named), `named volume ${named} exists`).toBe(expected.named !== "removed");
    const data = expected.named === "kept" ? token : undefined;
    const [namedData, externalData] = await readVolumes([named, external]);
    expect(namedData, `token in the named volume ${named}`).toBe(data);
    expect(externalData, `token in the external volume ${external}`).toBe(externalToken);
    expect((await docker.getNetwork(externalNet).inspect()).Id).toBe(externalNetId);
    const containers = await running(project, "svc");
    expect(containers).toHaveLength(expected.replicas);
    for (const c of containers) {
      expect(await readInside(c.id, ["/data/token", "/ext/token"])).toEqual([data ?? "", externalToken]);
    }
  };

  /** Each case: operations through the CLI (asserting that they did their job), then `check`. */
  const cases: {
    name: string;
    act: () => Promise<unknown>;
    /** What the named volume is afterwards: kept with its data unless the case says otherwise. */
    named?: "removed" | "new";
    replicas: number;
  }[] = [];
  let before: string[] = [];
  const ids = async () => (await running(project, "svc")).map((c) => c.id);

  cases.push(
    {
      name: "down keeps the named volume, the external volume and the external network",
      act: () => ok("down"),
      replicas: 0,
    },
    {
      name: "up after down mounts the same data",
      act: () => ok("up", "-d"),
      replicas: 1,
    },
    {
      name: "up --force-recreate: a new container, the same data",
      act: async () => {
        before = await ids();
        await ok("up", "-d", "--force-recreate");
        expect(await ids()).not.toEqual(before);
      },
      replicas: 1,
    },
    {
      name: "a change of image recreates the container on the same data",
      act: async () => {
        before = await ids();
        writeFile({ image: retagged });
        await ok("up", "-d");
        const after = await running(project, "svc");
        expect(after.map((c) => c.id)).not.toEqual(before);
        expect(after.map((c) => c.image)).toEqual([retagged]);
      },
      replicas: 1,
    },
    {
      name: "up --scale svc=3: every replica reads the same data",
      act: async () => {
        await ok("up", "-d", "--scale", "svc=3");
        // The third replica writes too; scaling down removes it but not what it wrote.
        const third = (await running(project, "svc"))[2];
        await dockerCli(["exec", third.id, "sh", "-c", `echo ${token}-3 > /data/replica3`]);
      },
      replicas: 3,
    },
    {
      name: "up --scale svc=1 removes replicas, not what they wrote",
      act: async () => {
        await ok("up", "-d", "--scale", "svc=1");
        const [only] = await running(project, "svc");
        expect(await readInside(only.id, ["/data/replica3"])).toEqual([`${token}-3`]);
      },
      replicas: 1,
    },
    {
      name: "rm -s -f -v (containers and their anonymous volumes) keeps the named volume",
      act: async () => {
        await ok("rm", "-s", "-f", "-v", "svc");
        expect(await ids()).toEqual([]);
        await ok("up", "-d");
      },
      replicas: 1,
    },
    {
      name: "run --rm: the one-off container reads and writes the volume, and goes without it",
      act: async () => {
        const result = await ok(
          "run",
          "--rm",
          "svc",
          "sh",
          "-c",
          `cat /data/token && echo ${token}-run > /data/run`,
        );
        expect(result.stdout).toContain(token);
        const [c] = await running(project, "svc");
        expect(await readInside(c.id, ["/data/run"])).toEqual([`${token}-run`]);
        const oneoffs = await docker.listContainers({
          all: true,
          filters: { label: [`${PROJECT_LABEL}=${project}`, "com.docker.compose.oneoff=True"] },
        });
        expect(oneoffs).toEqual([]);
      },
      replicas: 1,
    },
    {
      name: "down --remove-orphans removes an orphan that mounted the volume, not the volume",
      act: async () => {
        writeFile({ image: retagged, extra: true });
        await ok("up", "-d");
        expect(await running(project, "extra")).toHaveLength(1);
        writeFile({ image: retagged });
        await ok("down", "--remove-orphans");
        const left = await docker.listContainers({
          all: true,
          filters: { label: [`${PROJECT_LABEL}=${project}`] },
        });
        expect(left).toEqual([]);
      },
      replicas: 0,
    },
    {
      name: "down --rmi local removes the built image, not the volume",
      act: async () => {
        writeFile({ image: retagged, built: true });
        await ok("up", "-d", "--build");
        expect(await running(project, "built")).toHaveLength(1);
        await ok("down", "--rmi", "local");
        await expect(docker.getImage(builtImage).inspect()).rejects.toMatchObject({ statusCode: 404 });
        // `image:` names are not local: the retagged image stays.
        await docker.getImage(retagged).inspect();
      },
      replicas: 0,
    },
    {
      name: "a volume whose labels changed in the file is an error, not a silent replace",
      act: async () => {
        writeFile({ image: retagged });
        await ok("up", "-d");
        before = await ids();
        writeFile({ image: retagged, data: { labels: { "berth.test.tier": "gold" } } });
        const result = await run("up", "-d");
        expect(result.code, result.stderr).toBe(1);
        expect(result.stderr).toContain(
          `volume ${named} exists with other options or labels than the file says (berth.test.tier=gold)`,
        );
        expect(result.stderr).toContain(`berth down -v or docker volume rm ${named}`);
        // Nothing was touched: the container is the one from before.
        expect(await ids()).toEqual(before);
      },
      replicas: 1,
    },
    {
      name: "a volume whose driver_opts changed in the file is an error, not a silent replace",
      act: async () => {
        writeFile({ image: retagged, data: { driver_opts: { type: "tmpfs", device: "tmpfs" } } });
        const result = await run("up", "-d", "--force-recreate");
        expect(result.code, result.stderr).toBe(1);
        expect(result.stderr).toContain(
          `volume ${named} exists with other options or labels than the file says`,
        );
        expect(result.stderr).toContain("type=tmpfs");
        expect(await ids()).toEqual(before);
      },
      replicas: 1,
    },
    {
      name: "a volume whose driver changed in the file is an error, not a silent replace",
      act: async () => {
        writeFile({ image: retagged, data: { driver: "berth-test-no-such-driver" } });
        const result = await run("up", "-d");
        expect(result.code, result.stderr).toBe(1);
        expect(result.stderr).toContain(
          `volume ${named} exists with driver local but the file says berth-test-no-such-driver`,
        );
        expect(await ids()).toEqual(before);
        writeFile({ image: retagged });
      },
      replicas: 1,
    },
    {
      name: "down -v removes the named volume, never the external volume or network",
      act: () => ok("down", "-v"),
      named: "removed",
      replicas: 0,
    },
    {
      name: "docker volume rm removes it too; the next up starts on a new, empty volume",
      act: async () => {
        await ok("up", "-d");
        const [c] = await running(project, "svc");
        await dockerCli(["exec", c.id, "sh", "-c", `echo ${token}-new > /data/token`]);
        await ok("down");
        expect(await readVolume(named)).toBe(`${token}-new`);
        await dockerCli(["volume", "rm", named]);
        await ok("up", "-d");
      },
      named: "new",
      replicas: 1,
    },
  );

  for (const c of cases) {
    it(c.name, async () => {
      await c.act();
      await check({ named: c.named ?? "kept", replicas: c.replicas });
    }, 120_000);
  }
});

/**
 * A project of one busybox service `svc` mounting each volume key at /KEY, in a temp directory that
 * `create` makes.
 */
function smallProject(
  project: string,
  volumes: Record<string, unknown>,
  networks: Record<string, unknown> = {},
) {
  const dir = path.join(tmpdir(), project);
  const file = {
    services: {
      svc: {
        image: BUSYBOX,
        command: SLEEP,
        stop_grace_period: "1s",
        volumes: Object.keys(volumes).map((key) => `${key}:/${key}`),
        ...(Object.keys(networks).length ? { networks: ["default", ...Object.keys(networks)] } : {}),
      },
    },
    volumes,
    networks,
  };
  return {
    project,
    dir,
    create: () => {
      mkdirSync(dir);
      writeFileSync(path.join(dir, "compose.yaml"), JSON.stringify(file, null, 2));
    },
    run: (...args: string[]) => berth(dir, ["-p", project, "--progress", "plain", ...args]),
    /** What the running `svc` container reads in each of its volumes. */
    inside: async () => {
      const [c] = await running(project, "svc");
      return readInside(
        c.id,
        Object.keys(volumes).map((key) => `/${key}/token`),
      );
    },
  };
}

describe.skipIf(!requireDocker())("data safety: volumes berth did not create", () => {
  const p = smallProject(uniqueProject("data-adopt"), { data: {}, plain: {} });
  const composeMade = `${p.project}_data`;
  const plain = `${p.project}_plain`;
  const token = randomUUID();
  const plainToken = randomUUID();
  let up: CliResult;

  beforeAll(async () => {
    p.create();
    // A volume of the project's name for `plain`, made by hand without labels.
    await dockerCli(["volume", "create", plain]);
    await writeVolume(plain, plainToken);
    if (existsSync(COMPOSE_V1)) {
      // docker-compose 1.29 makes the volume (and the network) with its own labels and writes the data.
      await execFileAsync(
        COMPOSE_V1,
        ["-p", p.project, "run", "--rm", "-T", "svc", "sh", "-c", `echo ${token} > /data/token`],
        { cwd: p.dir, timeout: 120_000 },
      );
    } else {
      // Without docker-compose, the labels compose puts on the volumes it creates.
      await dockerCli([
        ...["volume", "create", "--label", `${PROJECT_LABEL}=${p.project}`],
        ...[
          "--label",
          "com.docker.compose.volume=data",
          "--label",
          "com.docker.compose.version=2.23.0",
          composeMade,
        ],
      ]);
      await writeVolume(composeMade, token);
    }
    expect((await docker.getVolume(composeMade).inspect()).Labels?.["com.docker.compose.volume"]).toBe(
      "data",
    );
    expect((await docker.getVolume(plain).inspect()).Labels ?? {}).toEqual({});
    up = await p.run("up", "-d");
    expectOk(up, "up -d");
  }, 180_000);

  afterAll(async () => {
    try {
      await p.run("down", "-v");
    } finally {
      await removeProject(p.project, { volumes: [plain] });
      rmSync(p.dir, { recursive: true, force: true });
    }
  }, 180_000);

  const cases: { name: string; act: () => Promise<void> }[] = [
    {
      name: "a volume made by docker compose is adopted as it is, with its data and without a warning",
      act: async () => {
        expect(`${up.stdout}${up.stderr}`).not.toContain(`"${composeMade}" already exists`);
        // Adopted, not replaced: a new volume would not hold the token.
        expect((await p.inside())[0]).toBe(token);
      },
    },
    {
      name: "an unlabelled volume of the same name is used with a warning, like compose",
      act: async () => {
        expect(`${up.stdout}${up.stderr}`).toContain(
          `volume "${plain}" already exists but was not created for project`,
        );
        expect((await p.inside())[1]).toBe(plainToken);
      },
    },
    {
      name: "down -v removes the volume docker compose made, but not the one berth was not told about",
      act: async () => {
        expectOk(await p.run("down", "-v"), "down -v");
        expect(await volumeExists(composeMade)).toBe(false);
        expect(await readVolume(plain)).toBe(plainToken);
      },
    },
  ];
  for (const c of cases) it(c.name, c.act, 120_000);
});

describe.skipIf(!requireDocker())("data safety: external resources that carry the project's labels", () => {
  // Made by an earlier version of the file (as `old` and `oldnet`, not external): the labels say they
  // belong to the project, the file now says they are external, and external things are never removed.
  const project = uniqueProject("data-ext");
  const volume = `${project}_old`;
  const network = `${project}_oldnet`;
  const p = smallProject(
    project,
    { old: { external: true, name: volume } },
    { oldnet: { external: true, name: network } },
  );
  const token = randomUUID();
  let networkId = "";

  beforeAll(async () => {
    p.create();
    const labels = (key: string, kind: string) => [
      "--label",
      `${PROJECT_LABEL}=${project}`,
      "--label",
      `com.docker.compose.${kind}=${key}`,
    ];
    await dockerCli(["volume", "create", ...labels("old", "volume"), volume]);
    networkId = await dockerCli(["network", "create", ...labels("oldnet", "network"), network]);
    await writeVolume(volume, token);
    expectOk(await p.run("up", "-d"), "up -d");
    expect(await p.inside()).toEqual([token]);
  }, 180_000);

  afterAll(async () => {
    try {
      await p.run("down", "-v");
    } finally {
      await removeProject(project, { volumes: [volume], networks: [network] });
      rmSync(p.dir, { recursive: true, force: true });
    }
  }, 180_000);

  it("down -v keeps an external volume and network even when they carry the project's labels", async () => {
    expectOk(await p.run("down", "-v"), "down -v");
    const networkLeft = await docker
      .getNetwork(network)
      .inspect()
      .then(
        (n: { Id: string }) => n.Id,
        () => undefined,
      );
    expect({ volume: await readVolume(volume), network: networkLeft }).toEqual({
      volume: token,
      network: networkId,
    });
  }, 120_000);
});
