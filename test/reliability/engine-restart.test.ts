import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, requireDocker, uniqueProject } from "../helpers/docker.js";
import {
  EMPTY,
  IDLE,
  STACK_FRAME,
  berthIn,
  convergedState,
  errorLines,
  projectState,
  runBerthUntil,
  tempProject,
} from "./fault-helpers.js";

const SERVICES = ["a1", "a2", "b1", "b2", "gate"];
/** `gate` turns healthy a few seconds after it starts, and the b services wait for it: a known mid-point. */
const COMPOSE = `services:
  a1: { image: ${BUSYBOX}, command: ${IDLE}, stop_grace_period: 1s }
  a2: { image: ${BUSYBOX}, command: ${IDLE}, stop_grace_period: 1s }
  gate:
    image: ${BUSYBOX}
    command: ["sh", "-c", "trap 'exit 0' TERM; (sleep 3; touch /ready) & sleep 3600 & wait"]
    stop_grace_period: 1s
    healthcheck: { test: ["CMD", "sh", "-c", "test -f /ready"], interval: 1s, retries: 60 }
  b1:
    image: ${BUSYBOX}
    command: ${IDLE}
    stop_grace_period: 1s
    depends_on: { gate: { condition: service_healthy } }
  b2:
    image: ${BUSYBOX}
    command: ${IDLE}
    stop_grace_period: 1s
    depends_on: { gate: { condition: service_healthy } }
`;

const sh = (script: string) =>
  execFileSync("sh", ["-c", script], { stdio: "pipe", timeout: 120_000 }).toString();

function hasBinary(name: string): boolean {
  try {
    sh(`command -v ${name}`);
    return true;
  } catch {
    return false;
  }
}

/**
 * The test owns its engine: a private dockerd (own data, exec root, socket) in its own network namespace,
 * so its bridges and addresses never meet the main engine's, which other tests use and which must never be
 * restarted. Needs root, `dockerd` and `nsenter`; under CI a missing one is a failure, not a skip.
 */
function canRun(): boolean {
  if (!requireDocker()) return false;
  const ok = process.getuid?.() === 0 && hasBinary("dockerd") && hasBinary("nsenter") && hasBinary("ip");
  if (!ok && process.env.CI === "true") {
    throw new Error(
      "CI=true but a private dockerd cannot be started here (needs root, dockerd, nsenter, ip)",
    );
  }
  return ok;
}

/** Processes whose command line names `root` (a dockerd, its containerd and shims), and their descendants. */
function processesUnder(root: string): number[] {
  const parents = new Map<number, number>();
  const own = new Set<number>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      parents.set(pid, Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(root)) own.add(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (own.has(parent) && !own.has(pid)) {
        own.add(pid);
        grew = true;
      }
    }
  }
  return [...own];
}

describe.skipIf(!canRun())("the engine stopped in the middle of up", { timeout: 300_000 }, () => {
  const root = mkdtempSync("/tmp/berth-er-");
  const netns = path.basename(root);
  const socket = path.join(root, "docker.sock");
  const host = `unix://${socket}`;
  const engine = new Docker({ socketPath: socket });
  const dir = tempProject({ "compose.yaml": COMPOSE });
  let dockerd: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  /** Starts the private dockerd and waits until it answers; on a loaded machine a start may fail, so try thrice. */
  async function startEngine(): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      // A dockerd killed with SIGKILL leaves its pidfile, and a reused PID would make the next one refuse to start.
      rmSync(path.join(root, "dockerd.pid"), { force: true });
      const log = openSync(path.join(root, "dockerd.log"), "a");
      // nsenter execs dockerd: the child's PID is dockerd's.
      const child = spawn(
        "nsenter",
        [
          `--net=/var/run/netns/${netns}`,
          "dockerd",
          `--data-root=${root}/data`,
          `--exec-root=${root}/exec`,
          `--pidfile=${root}/dockerd.pid`,
          "-H",
          host,
          "--bridge=none",
          "--iptables=false",
          "--ip6tables=false",
        ],
        { stdio: ["ignore", log, log] },
      );
      dockerd = child;
      exited = new Promise((resolve) => child.once("exit", () => resolve()));
      for (let i = 0; i < 240 && child.exitCode === null; i++) {
        try {
          await engine.ping();
          return;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    }
    throw new Error(`the private dockerd did not start:\n${readFileSync(path.join(root, "dockerd.log"))}`);
  }

  beforeAll(async () => {
    sh(`ip netns add ${netns} && ip netns exec ${netns} ip link set lo up`);
    await startEngine();
    // The private engine starts without images and no registry can be reached.
    for (let attempt = 0; ; attempt++) {
      try {
        sh(`docker save ${BUSYBOX} | docker -H ${host} load`);
        break;
      } catch (error) {
        // scripts/images run by another test may be re-tagging the image right now.
        if (attempt >= 4) throw error;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  });

  afterAll(async () => {
    dir.cleanup();
    try {
      if (dockerd?.exitCode === null) {
        // Whatever a failed test left goes with the engine's data; stopping dockerd stops its containers.
        dockerd.kill("SIGTERM");
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 60_000))]);
        if (dockerd.exitCode === null) dockerd.kill("SIGKILL");
      }
    } finally {
      // Container processes a killed dockerd left behind (shims and what they run) are this test's own.
      for (const pid of processesUnder(root)) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
      const mounts = readFileSync("/proc/mounts", "utf8")
        .split("\n")
        .map((l) => l.split(" ")[1])
        .filter((m) => m?.startsWith(`${root}/`))
        .sort()
        .reverse();
      for (const m of mounts) sh(`umount -l '${m}' || true`);
      sh(`ip netns del ${netns} || true`);
      if (existsSync(root)) rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);

  // SIGTERM: the engine restarted (systemctl restart docker); SIGKILL: the engine crashed.
  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    it(`${signal} to dockerd: one clear error, then up -d converges and down leaves nothing`, async () => {
      const project = uniqueProject(`engine-${signal.toLowerCase()}`);
      const env = { DOCKER_HOST: host };
      const berth = berthIn(dir.dir, project, env);

      const cut = await runBerthUntil(
        ["-p", project, "up", "-d"],
        /-gate-1 {2}Waiting/,
        () => dockerd?.kill(signal),
        { cwd: dir.dir, env },
      );
      const shown = `stderr of up:\n${cut.stderr}`;
      expect(cut.killed, shown).toBe(true);
      expect(cut.code, shown).toBe(1);
      expect(errorLines(cut.stderr), shown).toEqual([
        `error: cannot reach the Docker engine at ${host}: is dockerd running?`,
      ]);
      expect(cut.stderr, shown).not.toMatch(STACK_FRAME);

      await exited;
      await startEngine();
      const up = await berth(["up", "-d"], 200_000);
      expect(up.code, `up after the restart:\n${up.stderr}`).toBe(0);
      expect(await projectState(project, engine)).toEqual(convergedState(project, SERVICES));
      const down = await berth(["down"]);
      expect(down.code, `down:\n${down.stderr}`).toBe(0);
      expect(await projectState(project, engine)).toEqual(EMPTY);
    });
  }
});
