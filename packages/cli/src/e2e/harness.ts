import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The built entry point: CLI tests run the real process, as users do. */
export const BERTH_BIN = fileURLToPath(new URL("../../bin/berth.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Written to stdin, which then ends; a stream is piped, so a test can type while the command runs. */
  input?: string | NodeJS.ReadableStream;
  /** Kills the process after this long: below vitest's 60 s, so that a hang shows the process's output. */
  timeoutMs?: number;
}

/** Runs `berth ARGS` to completion. CI and colour variables are cleared so output is predictable. */
export function runBerth(args: string[], opts: CliRun = {}): Promise<CliResult> {
  // `--` as in the bin's shebang: without it node 20 would read berth's own `--env-file` as its own.
  return runCommand(process.execPath, ["--", BERTH_BIN, ...args], opts);
}

/**
 * Runs `berth ARGS` under `script`, which gives it a pseudo-terminal as stdin, stdout and stderr: what a
 * person at a terminal sees, both streams in `stdout`.
 */
export function runBerthInTerminal(args: string[], opts: CliRun = {}): Promise<CliResult> {
  const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, "--", BERTH_BIN, ...args].map(quote).join(" ");
  return runCommand("script", ["-qec", command, "/dev/null"], opts);
}

export function runCommand(file: string, args: string[], opts: CliRun = {}): Promise<CliResult> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    CI: undefined,
    FORCE_COLOR: undefined,
    NO_COLOR: undefined,
    ...opts.env,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: env as NodeJS.ProcessEnv,
      timeout: opts.timeoutMs ?? 45_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    // A command that exits without reading its stdin closes the pipe first; that is not a failure.
    child.stdin.on("error", () => {});
    if (typeof opts.input === "object") opts.input.pipe(child.stdin);
    else child.stdin.end(opts.input ?? "");
  });
}

/** A `berth` process still running: its output so far, its exit, and a wait for a line of it. */
export interface RunningBerth {
  child: ChildProcess;
  out: { stdout: string; stderr: string };
  exited: Promise<number | null>;
  /** Resolves once the stream matches; throws with the output after `timeoutMs`. */
  waitFor(what: RegExp, stream?: "stdout" | "stderr", timeoutMs?: number): Promise<void>;
}

/** Starts `berth ARGS` for a test that reads its output while it runs (watch, attached up). */
export function startBerth(args: string[], opts: Omit<CliRun, "input" | "timeoutMs"> = {}): RunningBerth {
  const env = { ...process.env, CI: undefined, FORCE_COLOR: undefined, NO_COLOR: undefined, ...opts.env };
  const child = spawn(process.execPath, ["--", BERTH_BIN, ...args], {
    cwd: opts.cwd,
    env: env as NodeJS.ProcessEnv,
  });
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (d) => {
    out.stdout += d;
  });
  child.stderr.on("data", (d) => {
    out.stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const waitFor = async (what: RegExp, stream: "stdout" | "stderr" = "stderr", timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!what.test(out[stream]) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (!what.test(out[stream])) throw new Error(`no ${what} in ${stream}:\n${out.stdout}\n${out.stderr}`);
  };
  return { child, out, exited, waitFor };
}

/** The events of a `--progress json` run: one JSON object a line. */
export function jsonEvents(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
}

/** A temp directory holding the given files; `cleanup` removes it. */
export function tempProject(files: Record<string, string>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), "berth-cli-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `name state` of each container of the project, sorted, read with the docker CLI. */
export async function containerStates(project: string): Promise<string[]> {
  const r = await runCommand("docker", [
    "ps",
    "-a",
    "--filter",
    `label=com.docker.compose.project=${project}`,
    "--format",
    "{{.Names}} {{.State}}",
  ]);
  return r.stdout.split("\n").filter(Boolean).sort();
}
