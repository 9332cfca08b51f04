import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The one-node swarm that Berth's Swarm tests and `bench/deploy.mjs` share on the local engine.
 *
 * Several test files run at once (vitest forks) and each needs a swarm. Each joins through this module:
 * the first one initialises the swarm if the engine is in none, and the last one to leave takes it down,
 * but only a swarm that one of them made (checked by cluster ID) and only when no service is left on it.
 * A swarm someone else made is never left. The check-and-init and check-and-leave steps run under a lock
 * directory (mkdir is atomic), and the users are recorded by process ID, so a test process that died
 * without leaving does not keep the swarm forever.
 */

const LOCK = join(tmpdir(), "berth-test-swarm.lock");
const STATE = join(tmpdir(), "berth-test-swarm.json");

interface State {
  /** Cluster ID of the swarm a test made, if the current one is. */
  madeCluster?: string;
  users: number[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const docker = (args: string[]) =>
  execFileSync("docker", args, { stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 })
    .toString()
    .trim();

function swarmState(): { state: string; cluster: string } {
  const [state = "", cluster = ""] = docker([
    "info",
    "--format",
    "{{.Swarm.LocalNodeState}} {{if .Swarm.Cluster}}{{.Swarm.Cluster.ID}}{{end}}",
  ]).split(" ");
  return { state, cluster };
}

async function withLock<T>(fn: () => T): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, "pid"), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // A holder that died keeps no lock.
      let holder = 0;
      try {
        holder = Number(readFileSync(join(LOCK, "pid"), "utf8"));
      } catch {}
      if (holder > 0 && !alive(holder)) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`test swarm: lock ${LOCK} held for 2 minutes`);
      await sleep(100);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function readState(): State {
  try {
    const state = JSON.parse(readFileSync(STATE, "utf8")) as State;
    return { madeCluster: state.madeCluster, users: state.users.filter(alive) };
  } catch {
    return { users: [] };
  }
}

/**
 * Makes sure the engine is a one-node swarm manager for this process; returns the function that leaves
 * it (call it in `afterAll`/`finally`, once everything this process created on the swarm is removed).
 */
export async function joinTestSwarm(): Promise<() => Promise<void>> {
  await withLock(() => {
    const state = readState();
    const now = swarmState();
    if (now.state === "inactive") {
      docker(["swarm", "init", "--advertise-addr", "127.0.0.1"]);
      state.madeCluster = swarmState().cluster;
    } else if (now.cluster !== state.madeCluster) {
      state.madeCluster = undefined;
    }
    state.users.push(process.pid);
    writeFileSync(STATE, JSON.stringify(state));
  });
  let left = false;
  return async () => {
    if (left) return;
    left = true;
    await withLock(() => {
      const state = readState();
      state.users = state.users.filter((pid) => pid !== process.pid);
      if (state.users.length > 0) {
        writeFileSync(STATE, JSON.stringify(state));
        return;
      }
      const now = swarmState();
      if (now.state !== "active" || !state.madeCluster || now.cluster !== state.madeCluster) {
        rmSync(STATE, { force: true });
        return;
      }
      // Someone outside these tests may be using the swarm a test made: only an empty one is left. A
      // busy one stays recorded as made by a test, so that the last user after that one leaves it.
      if (docker(["service", "ls", "-q"]) === "") {
        docker(["swarm", "leave", "--force"]);
        rmSync(STATE, { force: true });
      } else {
        writeFileSync(STATE, JSON.stringify(state));
      }
    });
  };
}
