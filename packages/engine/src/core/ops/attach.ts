import type Docker from "dockerode";
import { outputSink } from "../../base/demux.js";
import { EngineError } from "../../base/errors.js";
import { containerName, runningServiceContainer } from "./select.js";

/** The size of the terminal `out` writes to, when it is one, for sizing a container's TTY alike. */
export function terminalSize(out: NodeJS.WritableStream | undefined): { h: number; w: number } | undefined {
  const tty = out as { isTTY?: boolean; rows?: number; columns?: number } | undefined;
  return tty?.isTTY && tty.rows && tty.columns ? { h: tty.rows, w: tty.columns } : undefined;
}

/** docker's refusals: attaching needs a running, unpaused container. */
export class CannotAttachError extends EngineError {
  constructor(
    readonly container: string,
    state: "paused" | "stopped",
  ) {
    super(
      "CANNOT_ATTACH",
      state === "paused"
        ? `cannot attach to the paused container ${container}: unpause it first`
        : `cannot attach to the stopped container ${container}: start it first`,
    );
  }
}

export interface AttachServiceOptions {
  /** Container number (`--index`); by default the first running container of the service. */
  index?: number;
  /** Fed to the container when it keeps stdin open (`stdin_open: true`); left out with `--no-stdin`. */
  stdin?: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The key sequence after which the engine lets go of the container (docker's `ctrl-p,ctrl-q`). */
  detachKeys?: string;
}

/** An attached container: `kill` passes a signal on, `done` tells how the session ended. */
export interface AttachedContainer {
  container: string;
  /** Whether the container has a TTY (then keys, Ctrl-C included, go to it as they are typed). */
  tty: boolean;
  kill(signal: string): Promise<void>;
  /** `detached`: the detach keys were typed and the container runs on; otherwise its exit code. */
  done: Promise<{ detached: true } | { detached: false; exitCode: number }>;
}

/** `attach`: connects the streams to a running container of the service until it exits or is detached. */
export async function attachService(
  docker: Docker,
  projectName: string,
  service: string,
  opts: AttachServiceOptions,
): Promise<AttachedContainer> {
  const info = await runningServiceContainer(docker, projectName, service, opts.index);
  const container = docker.getContainer(info.Id);
  const inspect = await container.inspect();
  const name = containerName(info);
  if (inspect.State.Paused) throw new CannotAttachError(name, "paused");
  if (!inspect.State.Running) throw new CannotAttachError(name, "stopped");
  const tty = inspect.Config.Tty;
  const withStdin = Boolean(opts.stdin && inspect.Config.OpenStdin);
  const stream = (await container.attach({
    stream: true,
    stdin: withStdin,
    stdout: true,
    stderr: true,
    hijack: true,
    ...(opts.detachKeys ? { detachKeys: opts.detachKeys } : {}),
  })) as NodeJS.ReadWriteStream;
  const size = tty ? terminalSize(opts.stdout) : undefined;
  // A TTY of the wrong size garbles full-screen programs; a failed resize is harmless otherwise.
  if (size) await container.resize(size).catch(() => undefined);

  let stdinEnded = false;
  if (withStdin)
    opts.stdin?.once("end", () => {
      stdinEnded = true;
    });
  const ended = new Promise<void>((resolve, reject) => {
    stream.on(
      "data",
      outputSink(tty, (s, data) => (s === "stdout" ? opts.stdout : opts.stderr).write(data)),
    );
    stream.on("error", reject);
    stream.on("end", resolve);
    stream.on("close", resolve);
    if (withStdin) opts.stdin?.pipe(stream);
  });
  const done = ended.then(async () => {
    if (withStdin) opts.stdin?.unpipe(stream as NodeJS.WritableStream);
    // The engine also ends the stream when the detach keys are typed (the container runs on) and when
    // our stdin ends; then, as docker does, the session lasts until the container exits.
    const after = await container.inspect();
    if (after.State.Running && !stdinEnded) return { detached: true as const };
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    return { detached: false as const, exitCode: StatusCode };
  });
  return {
    container: name,
    tty,
    kill: async (signal) => {
      await container.kill({ signal });
    },
    done,
  };
}
