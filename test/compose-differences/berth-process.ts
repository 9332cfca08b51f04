// The real `berth` process (the built bin: run `pnpm build` first), for tests that signal it or watch
// its exit, and an engine-side view of what a project left behind.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { docker } from "../helpers/docker.js";

/** BERTH_TEST_BIN runs the same tests against another build, e.g. one from before a fix. */
const BIN =
  process.env.BERTH_TEST_BIN ?? fileURLToPath(new URL("../../packages/cli/bin/berth.js", import.meta.url));
const PROJECT_LABEL = "com.docker.compose.project";

export function requireBuiltCli(): void {
  if (
    !process.env.BERTH_TEST_BIN &&
    !existsSync(fileURLToPath(new URL("../../packages/cli/dist/main.js", import.meta.url)))
  )
    throw new Error("packages/cli is not built: run pnpm build");
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() when the process exited. */
  at: number;
}

export interface BerthProcess {
  child: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves when the process has exited and its output is complete. */
  exited: Promise<Exit>;
}

/**
 * Starts `berth ARGS` in `cwd`. The environment has no CI, colour or COMPOSE_PARALLEL_LIMIT variables
 * of the caller, so that only `env` changes the run. It is killed after `killAfterMs` (below vitest's
 * 60 s) so that a hang fails the test with the output rather than blocking it.
 */
export function startBerth(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  killAfterMs = 50_000,
): BerthProcess {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const key of ["CI", "FORCE_COLOR", "NO_COLOR", "COMPOSE_PARALLEL_LIMIT"]) delete base[key];
  // `--` as in the bin's shebang: without it node 20 would read berth's own `--env-file`.
  const child = spawn(process.execPath, ["--", BIN, ...args], {
    cwd,
    env: { ...base, ...env } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = { stdout: "", stderr: "" };
  child.stdout?.on("data", (d) => {
    out.stdout += d;
  });
  child.stderr?.on("data", (d) => {
    out.stderr += d;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
  let exit: Exit | undefined;
  child.on("exit", (code, signal) => {
    exit = { code, signal, at: performance.now() };
  });
  const exited = new Promise<Exit>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve(exit ?? { code, signal, at: performance.now() });
    });
  });
  return {
    child,
    exited,
    get stdout() {
      return out.stdout;
    },
    get stderr() {
      return out.stderr;
    },
  };
}

/** Runs `berth ARGS` to completion. */
export async function runBerth(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startBerth(args, cwd, env);
  const { code } = await run.exited;
  return { code, stdout: run.stdout, stderr: run.stderr };
}

/**
 * Sends SIGINT (what Ctrl-C sends) to the process and returns how long it took to exit after it,
 * with its exit.
 */
export async function interrupt(run: BerthProcess): Promise<Exit & { ms: number }> {
  const sent = performance.now();
  run.child.kill("SIGINT");
  const exit = await run.exited;
  return { ...exit, ms: exit.at - sent };
}

/** Polls until `check` returns true; throws with `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Names of the project's containers that are running. */
export async function running(project: string): Promise<string[]> {
  const containers = await docker.listContainers({
    filters: { label: [`${PROJECT_LABEL}=${project}`], status: ["running", "restarting"] },
  });
  return containers.map((c) => c.Names[0]);
}

/** A temp directory holding the given files; `cleanup` removes it. */
export function tempDir(files: Record<string, string>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), "berth-ctrlc-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
