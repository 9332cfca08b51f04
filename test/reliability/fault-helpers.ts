// What the fault tests share: the real berth process (run to completion, or killed at a chosen line of
// its progress), and what the engine holds for a project, read without the code under test.
import { type ChildProcess, spawn } from "node:child_process";
import type Docker from "dockerode";
import { BERTH_BIN, type CliResult, runBerth } from "../../packages/cli/src/e2e/harness.js";
import { docker as mainDocker } from "../helpers/docker.js";

export { runBerth, tempProject } from "../../packages/cli/src/e2e/harness.js";
export { removeProject } from "../../packages/cli/src/e2e/project-cleanup.js";

const PROJECT_LABEL = "com.docker.compose.project";

/** A busybox service that exits at once on TERM, so that stopping takes no grace period. */
export const IDLE = `["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]`;

/** `berth -p PROJECT ARGS` in `cwd`; the process is killed after `timeoutMs` so that a hang shows its output. */
export function berthIn(
  cwd: string,
  project: string,
  env: Record<string, string | undefined> = {},
): (args: string[], timeoutMs?: number) => Promise<CliResult> {
  return (args, timeoutMs = 110_000) => runBerth(["-p", project, ...args], { cwd, env, timeoutMs });
}

export interface KilledRun {
  /** True when the line was seen (and `onLine` ran); false when the process ended before it. */
  killed: boolean;
  code: number | null;
  stderr: string;
}

/**
 * Runs `berth ARGS` and calls `onLine` with the process as soon as a line of its (plain) progress on
 * stderr matches `at`: a fault injected there lands at a known step, not after a guessed delay.
 */
export function runBerthUntil(
  args: string[],
  at: RegExp,
  onLine: (child: ChildProcess) => void,
  opts: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number },
): Promise<KilledRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BERTH_BIN, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, CI: undefined, FORCE_COLOR: undefined, NO_COLOR: undefined, ...opts.env },
      stdio: ["ignore", "ignore", "pipe"],
      timeout: opts.timeoutMs ?? 110_000,
    });
    let stderr = "";
    let pending = "";
    let seen = false;
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      if (!seen && lines.some((l) => at.test(l))) {
        seen = true;
        onLine(child);
      }
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ killed: seen, code, stderr }));
  });
}

/** `runBerthUntil` that kills berth itself with SIGKILL at the line: no cleanup of any kind runs. */
export function killBerthAt(
  args: string[],
  at: RegExp,
  opts: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number },
): Promise<KilledRun> {
  return runBerthUntil(args, at, (child) => child.kill("SIGKILL"), opts);
}

export interface ProjectState {
  /** `name state`, sorted, one per container: a duplicate has another number, a leftover another name. */
  containers: string[];
  /** Names of the project's networks, one entry per network (duplicates of a name show twice). */
  networks: string[];
  volumes: string[];
}

/** What the engine holds with the project's label, plus any network named like its default one. */
export async function projectState(project: string, docker: Docker = mainDocker): Promise<ProjectState> {
  const filters = { label: [`${PROJECT_LABEL}=${project}`] };
  const [containers, labelled, named, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    // A network made by a killed process without its label would escape the label filter.
    docker.listNetworks({ filters: { name: [project] } }),
    docker.listVolumes({ filters }),
  ]);
  const networks = new Map<string, string>();
  for (const n of [...labelled, ...named]) networks.set(n.Id, n.Name);
  return {
    containers: containers.map((c) => `${(c.Names[0] ?? c.Id).replace(/^\//, "")} ${c.State}`).sort(),
    networks: [...networks.values()].sort(),
    volumes: (volumes.Volumes ?? []).map((v) => v.Name).sort(),
  };
}

/**
 * The project's state once the engine has stopped changing it: dockerd finishes the stops and removals
 * a killed client had asked for, and an `up` started while a container is still stopping would see it
 * running and keep it (docker compose too). A user's next command comes after that; so does the test's.
 */
export async function settledState(
  project: string,
  quietMs = 3_000,
  limitMs = 60_000,
): Promise<ProjectState> {
  const until = Date.now() + limitMs;
  let last = JSON.stringify(await projectState(project));
  let since = Date.now();
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 500));
    const now = JSON.stringify(await projectState(project));
    if (now !== last) [last, since] = [now, Date.now()];
    else if (Date.now() - since >= quietMs) break;
  }
  return JSON.parse(last) as ProjectState;
}

/** The state a converged project of `services` (one replica each, all running, one network) has. */
export function convergedState(project: string, services: string[]): ProjectState {
  return {
    containers: services.map((s) => `${project}-${s}-1 running`).sort(),
    networks: [`${project}_default`],
    volumes: [],
  };
}

export const EMPTY: ProjectState = { containers: [], networks: [], volumes: [] };

/** The lines berth printed as errors (`error: …`); a clear failure has exactly one. */
export function errorLines(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l.startsWith("error:"));
}

/** A JavaScript stack frame: a clear error never shows one. */
export const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;
