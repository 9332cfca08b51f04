import type Docker from "dockerode";
import { outputSink } from "../../base/demux.js";
import { engineMessage, statusCode } from "../../base/engine-response.js";
import { EngineError } from "../../base/errors.js";
import { terminalSize } from "./attach.js";
import { containerName, serviceContainer } from "./select.js";

export class ContainerNotRunningError extends EngineError {
  constructor(
    readonly service: string,
    readonly container: string,
  ) {
    super("CONTAINER_NOT_RUNNING", `container ${container} of service ${service} is not running`);
  }
}

/** The engine would not run the command: the container is paused, restarting, or the command is invalid. */
export class ExecRefusedError extends EngineError {
  constructor(
    readonly service: string,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super("EXEC_REFUSED", reason, options);
  }
}

export interface ExecOptions {
  /** Container number of the service (`--index`), 1 by default. */
  index?: number;
  user?: string;
  workdir?: string;
  env?: Record<string, string>;
  privileged?: boolean;
  tty?: boolean;
  /** Keep stdin open and feed it from `stdin`. */
  interactive?: boolean;
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** `exec -d`: start the command and return at once, with no streams and exit code 0. */
  detach?: boolean;
}

export interface ExecResult {
  exitCode: number;
  /** Captured output, when neither `stdout` nor `stderr` was given. */
  stdout?: string;
  stderr?: string;
}

/** The container `exec` runs in: number `index` (1 by default), which must be running. */
export async function execTarget(
  docker: Docker,
  projectName: string,
  service: string,
  index = 1,
): Promise<Docker.ContainerInfo> {
  const info = await serviceContainer(docker, projectName, service, index);
  // A paused container is the engine's to refuse, with the message docker compose shows
  // ("… is paused, unpause the container before exec").
  if (info.State !== "running" && info.State !== "paused")
    throw new ContainerNotRunningError(service, containerName(info));
  return info;
}

/** `exec`: runs a command in a running container of the service and waits for it, unless `detach`. */
export async function execInService(
  docker: Docker,
  projectName: string,
  service: string,
  cmd: string[],
  opts: ExecOptions = {},
): Promise<ExecResult> {
  const info = await execTarget(docker, projectName, service, opts.index);
  const container = docker.getContainer(info.Id);
  if (opts.detach) return execDetached(container, service, cmd, opts);
  const tty = opts.tty ?? false;
  const withStdin = Boolean(opts.interactive && opts.stdin);
  const exec = await createExec(
    container,
    service,
    execConfig(cmd, opts, { tty, stdin: withStdin, output: true }),
  );
  const stream = await exec.start({ hijack: true, stdin: withStdin, Tty: tty });
  const size = tty ? terminalSize(opts.stdout) : undefined;
  // A TTY of the wrong size garbles full-screen programs; a failed resize is harmless otherwise.
  if (size) await exec.resize(size).catch(() => undefined);

  const capture = !opts.stdout && !opts.stderr;
  const captured = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  const sink = outputSink(tty, (name, data) => {
    if (capture) captured[name].push(data);
    else (name === "stdout" ? opts.stdout : opts.stderr)?.write(data);
  });
  await new Promise<void>((resolve, reject) => {
    stream.on("data", sink);
    stream.on("error", reject);
    stream.on("end", resolve);
    stream.on("close", resolve);
    if (withStdin) opts.stdin?.pipe(stream);
  });

  // Hand the caller's stdin back (unpiping pauses it), or it would keep the process alive.
  if (withStdin) opts.stdin?.unpipe(stream as NodeJS.WritableStream);
  const exitCode = await exitCodeOf(exec);
  if (!capture) return { exitCode };
  return {
    exitCode,
    stdout: Buffer.concat(captured.stdout).toString(),
    stderr: Buffer.concat(captured.stderr).toString(),
  };
}

/** The engine's exec configuration: the command and its settings, and what is attached. */
function execConfig(
  cmd: string[],
  opts: ExecOptions,
  attach: { tty: boolean; stdin: boolean; output: boolean },
): Docker.ExecCreateOptions {
  return {
    Cmd: cmd,
    User: opts.user,
    WorkingDir: opts.workdir,
    Env: Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`),
    Privileged: opts.privileged ?? false,
    Tty: attach.tty,
    AttachStdin: attach.stdin,
    AttachStdout: attach.output,
    AttachStderr: attach.output,
  };
}

/**
 * With nothing attached, the engine answers once the process has been started (a command that cannot
 * be started is still an error); its output goes nowhere, as with `docker exec -d`.
 */
async function execDetached(
  container: Docker.Container,
  service: string,
  cmd: string[],
  opts: ExecOptions,
): Promise<ExecResult> {
  const config = execConfig(cmd, opts, { tty: false, stdin: false, output: false });
  const exec = await createExec(container, service, config);
  const response = (await exec.start({ Detach: true, Tty: false })) as NodeJS.ReadableStream | undefined;
  // The response body is empty; reading it releases the connection.
  response?.resume();
  return { exitCode: 0 };
}

/** The engine checks the container when the exec is created: its refusal is the user's answer. */
async function createExec(
  container: Docker.Container,
  service: string,
  config: Docker.ExecCreateOptions,
): Promise<Docker.Exec> {
  try {
    return await container.exec(config);
  } catch (err) {
    // Only an answer is a refusal; a lost connection stays what it is.
    if (statusCode(err) === undefined) throw err;
    throw new ExecRefusedError(service, engineMessage(err), { cause: err });
  }
}

/** The stream can end a moment before the engine records the exit code. */
async function exitCodeOf(exec: Docker.Exec): Promise<number> {
  for (;;) {
    const state = await exec.inspect();
    if (!state.Running) return state.ExitCode ?? 0;
    await new Promise((r) => setTimeout(r, 20));
  }
}
