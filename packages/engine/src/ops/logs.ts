import type Docker from "dockerode";
import { lineSink } from "./attach.js";
import type { StreamName } from "./demux.js";
import { containerName, projectContainers, serviceOf } from "./select.js";

export interface LogLine {
  service: string;
  container: string;
  stream: StreamName;
  text: string;
}

export interface LogsOptions {
  services?: string[];
  follow?: boolean;
  /** Lines from the end of each container's log ("all" or a number). */
  tail?: number | "all";
  /** Unix seconds or an RFC 3339 date, as the engine accepts. */
  since?: string | number;
  until?: string | number;
  timestamps?: boolean;
}

/**
 * Streams the logs of the project's containers (stopped ones too) line by line. Resolves when every
 * stream has ended: at once without `follow`, when the containers stop or `signal` aborts with it.
 */
export async function streamLogs(
  docker: Docker,
  projectName: string,
  opts: LogsOptions,
  onLine: (line: LogLine) => void,
  signal?: AbortSignal,
): Promise<void> {
  const containers = await projectContainers(docker, projectName, { services: opts.services, all: true });
  await Promise.all(containers.map((c) => containerLogs(docker, c, opts, onLine, signal)));
}

async function containerLogs(
  docker: Docker,
  info: Docker.ContainerInfo,
  opts: LogsOptions,
  onLine: (line: LogLine) => void,
  signal?: AbortSignal,
): Promise<void> {
  const container = docker.getContainer(info.Id);
  const tty = (await container.inspect()).Config.Tty;
  const service = serviceOf(info);
  const name = containerName(info);
  const sink = lineSink(tty, (stream, text) => onLine({ service, container: name, stream, text }));
  const query = {
    stdout: true,
    stderr: true,
    timestamps: opts.timestamps ?? false,
    // The engine takes "all" as well as a number; the typings only know numbers.
    tail: (opts.tail ?? "all") as number,
    ...(opts.since !== undefined ? { since: opts.since } : {}),
    ...(opts.until !== undefined ? { until: opts.until } : {}),
  };
  if (!opts.follow) {
    sink.push(await container.logs({ ...query, follow: false }));
    sink.flush();
    return;
  }
  // The engine ends a follow stream when the container stops; compose follows it across restarts, so
  // follow again from where the stream ended for as long as the container is running or restarting.
  let followQuery: typeof query = query;
  for (;;) {
    const endedAt = await followOnce(container, followQuery, sink, signal);
    if (signal?.aborted || opts.until !== undefined) return;
    const state = await container.inspect().then(
      (i) => i.State,
      () => undefined,
    );
    if (!state || (!state.Running && !state.Restarting)) return;
    if (!state.Running) await new Promise((r) => setTimeout(r, 100));
    followQuery = { ...query, tail: "all" as unknown as number, since: endedAt };
  }
}

/** One follow stream until it ends or `signal` aborts; returns when it ended, in the engine's seconds. */
async function followOnce(
  container: Docker.Container,
  query: Docker.ContainerLogsOptions,
  sink: { push: (chunk: Buffer) => void; flush: () => void },
  signal?: AbortSignal,
): Promise<string> {
  const stream = await container.logs({ ...query, follow: true });
  await new Promise<void>((resolve, reject) => {
    const stop = () => {
      (stream as NodeJS.ReadableStream & { destroy: () => void }).destroy();
      resolve();
    };
    if (signal?.aborted) return stop();
    signal?.addEventListener("abort", stop, { once: true });
    stream.on("data", (chunk: Buffer) => sink.push(chunk));
    stream.on("error", (err) => (signal?.aborted ? resolve() : reject(err)));
    stream.on("end", () => {
      signal?.removeEventListener("abort", stop);
      sink.flush();
      resolve();
    });
  });
  return (Date.now() / 1000).toFixed(3);
}
