// What the examples' tests share: running the real berth CLI as a process, finding a free port,
// checking the local images, and making sure a project leaves nothing behind.
import { afterAll, expect } from "vitest";
import {
  type CliResult,
  type RunningBerth,
  runBerth,
  startBerth,
} from "../../packages/cli/src/e2e/harness.js";
import {
  docker,
  leftovers,
  removeProjectImageTags,
  removeProjectResources,
  uniqueProject,
} from "../../test/helpers/docker.js";
import { freePort } from "../../test/helpers/ports.js";

export { freePort, leftovers };

const PROJECT_LABEL = "com.docker.compose.project";

type RunOptions = { env?: Record<string, string>; timeoutMs?: number };

/** Runs `berth args…` in `cwd` and resolves with its exit code and output; never rejects on a non-zero exit. */
export function berth(cwd: string, args: string[], options: RunOptions = {}): Promise<CliResult> {
  // Examples bring up real stacks, slower than the CLI tests' default limit.
  return runBerth(args, { cwd, env: options.env, timeoutMs: options.timeoutMs ?? 180_000 });
}

/** Like berth() but throws, with the output, unless the command succeeds. */
export async function berthOk(cwd: string, args: string[], options: RunOptions = {}): Promise<CliResult> {
  const result = await berth(cwd, args, options);
  if (result.code !== 0) {
    throw new Error(`berth ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** Fails with what to do when a local image the example needs has not been built. */
export async function requireImages(images: string[]): Promise<void> {
  const missing: string[] = [];
  for (const image of images) {
    try {
      await docker.getImage(image).inspect();
    } catch {
      missing.push(image);
    }
  }
  if (missing.length > 0) {
    throw new Error(`missing local images ${missing.join(", ")}: run scripts/images --all first`);
  }
}

/**
 * Removes whatever `down` left of the project, and the images built for it, so that a failing
 * test still leaves nothing behind. Returns what it had to remove.
 */
export async function sweep(project: string): Promise<string[]> {
  const left = await leftovers(project);
  await removeProjectResources(project);
  await removeProjectImageTags(project);
  return left;
}

/** Resolves with the answer of GET url, retrying while the connection is refused (a proxy starting). */
export async function httpGet(url: string, timeoutMs = 20_000): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      return { status: response.status, body: await response.text() };
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** The services with a running container in the project, one-off `run` containers left out. */
export async function runningServices(project: string): Promise<string[]> {
  const containers = await docker.listContainers({
    filters: { label: [`${PROJECT_LABEL}=${project}`, "com.docker.compose.oneoff=False"] },
  });
  return containers.map((c) => c.Labels["com.docker.compose.service"]).sort();
}

export interface ExampleProject {
  project: string;
  /** `berth -p <project> <global args> args…`, resolving whatever the exit code. */
  run(args: string[], options?: RunOptions): Promise<CliResult>;
  /** The same, throwing with the output unless it exits 0. */
  ok(args: string[], options?: RunOptions): Promise<CliResult>;
  /** Starts a command that runs until stopped (`watch`), for reading its output while it runs. */
  start(args: string[], options?: Pick<RunOptions, "env">): RunningBerth;
}

/**
 * A uniquely named project of the example in `dir`, taken down with `down -v` after the tests (with
 * `downArgs`, e.g. every profile, so that `down` sees every service). The `down` must succeed and
 * leave nothing; whatever it left is removed anyway, so a failing test leaks nothing either.
 */
export function useExample(
  dir: string,
  name: string,
  setup: { globalArgs?: string[]; downArgs?: string[]; env?: () => Record<string, string> } = {},
): ExampleProject {
  const project = uniqueProject(`example-${name}`);
  const argv = (args: string[]) => ["-p", project, ...(setup.globalArgs ?? []), ...args];
  const withEnv = (options: RunOptions = {}) => ({ ...options, env: { ...setup.env?.(), ...options.env } });
  afterAll(async () => {
    const down = await berth(dir, argv([...(setup.downArgs ?? []), "down", "-v"]), withEnv());
    const left = await sweep(project);
    expect(down.code, `berth down -v failed:\n${down.stdout}\n${down.stderr}`).toBe(0);
    expect(left, "berth down -v left these behind").toEqual([]);
  }, 180_000);
  return {
    project,
    run: (args, options) => berth(dir, argv(args), withEnv(options)),
    ok: (args, options) => berthOk(dir, argv(args), withEnv(options)),
    start: (args, options) => startBerth(argv(args), { cwd: dir, env: withEnv(options).env }),
  };
}
