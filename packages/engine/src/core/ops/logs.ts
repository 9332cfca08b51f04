import type Docker from "dockerode";
import type { StreamName } from "../../base/demux.js";
import { lineSink } from "../../base/demux.js";
import { Labels } from "../../base/labels.js";
import { projectEvents } from "./events.js";
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
  /** With `follow`: one line when a container (re)starts and its logs are followed. */
  onNotice?: (text: string) => void;
}

type Query = Docker.ContainerLogsOptions;
type Sink = { push: (chunk: Buffer) => void; flush: () => void };
interface Target {
  id: string;
  name: string;
  service: string;
}

/**
 * Streams the logs of the project's containers (stopped ones too) line by line. Without `follow` (or
 * with `until`) it resolves once every log is read. With `follow` it also follows what starts later (a
 * restarted container, one recreated by another `up`, a new replica) until `signal` aborts or no
 * container in scope runs any more.
 */
export async function streamLogs(
  docker: Docker,
  projectName: string,
  opts: LogsOptions,
  onLine: (line: LogLine) => void,
  signal?: AbortSignal,
): Promise<void> {
  // Taken before listing: a container started in between is then seen in the events.
  const watchFrom = (Date.now() / 1000).toFixed(3);
  const containers = (
    await projectContainers(docker, projectName, { services: opts.services, all: true })
  ).map((c): Target => ({ id: c.Id, name: containerName(c), service: serviceOf(c) }));
  const query: Query = {
    stdout: true,
    stderr: true,
    timestamps: opts.timestamps ?? false,
    // The engine takes "all" as well as a number; the typings only know numbers.
    tail: (opts.tail ?? "all") as number,
    ...(opts.since !== undefined ? { since: opts.since } : {}),
    ...(opts.until !== undefined ? { until: opts.until } : {}),
  };
  if (!opts.follow || opts.until !== undefined) {
    await Promise.all(
      containers.map(async (c) => {
        const sink = await sinkFor(docker, c, onLine);
        sink.push(await docker.getContainer(c.id).logs({ ...query, follow: false }));
        sink.flush();
      }),
    );
    return;
  }
  // Watching ends when `signal` aborts, or once no container in scope has been running for a while.
  const watching = new AbortController();
  if (signal?.aborted) watching.abort();
  signal?.addEventListener("abort", () => watching.abort(), { once: true });
  const follower = new Follower(docker, query, onLine, signal, async () => {
    const running = await projectContainers(docker, projectName, { services: opts.services });
    if (!running.length) watching.abort();
  });
  for (const c of containers) follower.follow(c, query);
  follower.checkIdle();
  await projectEvents(
    docker,
    projectName,
    { services: opts.services, since: watchFrom, follow: true, signal: watching.signal },
    (e) => {
      // While another `up` replaces containers (stop, rename, create, start), events keep coming.
      follower.checkIdle();
      if (e.type !== "container" || e.action !== "start" || e.attributes[Labels.oneoff] === "True") return;
      const target = { id: e.id, name: e.name ?? e.id.slice(0, 12), service: e.service ?? "" };
      if (follower.started(target, e.time)) opts.onNotice?.(`${target.name} started: following its logs`);
    },
  );
  await follower.finished();
}

async function sinkFor(docker: Docker, c: Target, onLine: (line: LogLine) => void): Promise<Sink> {
  const tty = (await docker.getContainer(c.id).inspect()).Config.Tty;
  return lineSink(tty, (stream, text) => onLine({ service: c.service, container: c.name, stream, text }));
}

/**
 * How long nothing may be followed, with no event of the project, before the follow ends when no
 * container runs: a restart policy's delay, or a pause in another `up`.
 */
const QUIET_MS = 1500;

/**
 * One follow stream per container. The engine ends a stream when its container stops; a `start` event
 * then follows it again from where it ended (or, for a container never seen, from its beginning).
 */
class Follower {
  /** Container → when following began (ms) and whether it started again while its stream was open. */
  private readonly active = new Map<string, { since: number; restarted: boolean; done: Promise<void> }>();
  /** Container → when its last stream ended, in the engine's seconds. */
  private readonly ended = new Map<string, string>();
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly docker: Docker,
    private readonly query: Query,
    private readonly onLine: (line: LogLine) => void,
    private readonly signal: AbortSignal | undefined,
    /** Called when nothing has been followed for QUIET_MS. */
    private readonly onIdle: () => Promise<void>,
  ) {}

  follow(c: Target, query: Query): void {
    clearTimeout(this.idleTimer);
    const entry = { since: Date.now(), restarted: false, done: Promise.resolve() };
    this.active.set(c.id, entry);
    entry.done = this.run(c, query, entry).finally(() => {
      this.active.delete(c.id);
      this.checkIdle();
    });
  }

  /** (Re)starts the quiet period when nothing is followed; it runs out without events or streams. */
  checkIdle(): void {
    clearTimeout(this.idleTimer);
    if (this.active.size) return;
    this.idleTimer = setTimeout(() => {
      if (!this.active.size) this.onIdle().catch(() => undefined);
    }, QUIET_MS);
  }

  /** A container started at `time`; false when following it began after that (nothing new). */
  started(c: Target, time: Date): boolean {
    const entry = this.active.get(c.id);
    if (entry) {
      if (time.getTime() < entry.since) return false;
      // Reported before its previous stream has ended: follow again once it has.
      entry.restarted = true;
      return true;
    }
    const since = this.ended.get(c.id);
    this.follow(c, since ? { ...this.query, tail: "all" as unknown as number, since } : this.query);
    return true;
  }

  async finished(): Promise<void> {
    while (this.active.size) await Promise.all([...this.active.values()].map((e) => e.done));
    clearTimeout(this.idleTimer);
  }

  private async run(c: Target, query: Query, entry: { restarted: boolean }): Promise<void> {
    const sink = await sinkFor(this.docker, c, this.onLine).catch(() => undefined);
    if (!sink) return; // removed before it could be followed
    let next = query;
    for (;;) {
      const endedAt = await followOnce(this.docker.getContainer(c.id), next, sink, this.signal).catch(() =>
        (Date.now() / 1000).toFixed(3),
      );
      this.ended.set(c.id, endedAt);
      if (this.signal?.aborted || !entry.restarted) return;
      entry.restarted = false;
      next = { ...this.query, tail: "all" as unknown as number, since: endedAt };
    }
  }
}

/** One follow stream until it ends or `signal` aborts; returns when it ended, in the engine's seconds. */
async function followOnce(
  container: Docker.Container,
  query: Query,
  sink: Sink,
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
