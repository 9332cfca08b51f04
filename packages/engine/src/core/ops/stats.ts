import type Docker from "dockerode";
import { LineSplitter } from "../../base/demux.js";
import { projectEvents } from "./events.js";
import { containerName, projectContainers, serviceOf } from "./select.js";
import { type RawStats, type StatsFigures, statsFigures } from "./stats-calc.js";

export type { StatsFigures } from "./stats-calc.js";

/** One container's line of `stats`. `invalid`: no sample came in time, and docker shows `--`. */
export interface ContainerStats extends StatsFigures {
  id: string;
  name: string;
  service: string;
  invalid: boolean;
}

export interface StatsOptions {
  /** Only this service's containers. */
  service?: string;
  /** Also stopped containers (`--all`). */
  all?: boolean;
}

/** After this long without a sample a container's figures are zeroed and shown as `--`, as docker does. */
const STALE_MS = 2000;

const ZERO: StatsFigures = {
  cpuPercent: 0,
  memory: 0,
  memoryLimit: 0,
  memoryPercent: 0,
  netRx: 0,
  netTx: 0,
  blockRead: 0,
  blockWrite: 0,
  pids: 0,
};

function selection(opts: StatsOptions) {
  // docker compose selects by label only, so one-off (`run`) containers count too.
  return { services: opts.service ? [opts.service] : undefined, all: opts.all, oneoff: "include" as const };
}

/**
 * `stats --no-stream`: one sample of each container. The engine answers a non-streamed request after two
 * readings, so the CPU figure is measured over that interval.
 */
export async function statsSnapshot(
  docker: Docker,
  projectName: string,
  opts: StatsOptions = {},
): Promise<ContainerStats[]> {
  const containers = await projectContainers(docker, projectName, selection(opts));
  return Promise.all(
    containers.map(async (c) => {
      const raw = (await docker.getContainer(c.Id).stats({ stream: false })) as unknown as RawStats;
      return {
        id: c.Id,
        name: containerName(c),
        service: serviceOf(c),
        invalid: false,
        ...statsFigures(raw),
      };
    }),
  );
}

/** A live view of the project's containers' figures: `current()` is read whenever a frame is drawn. */
export interface StatsWatch {
  current(): ContainerStats[];
  /** Resolves once every container present at the start has sent its first sample (or gone stale). */
  ready: Promise<void>;
  /** Resolves when `signal` aborts or the engine's event stream ends. */
  done: Promise<void>;
}

/**
 * `stats`: streams each container's samples and follows the project's containers as docker does: a
 * started container joins, a dead one leaves (with `all`, only a removed one), a created one joins with
 * `all`.
 */
export function watchStats(
  docker: Docker,
  projectName: string,
  opts: StatsOptions,
  signal: AbortSignal,
): StatsWatch {
  const entries = new Map<string, ContainerStats>();
  const stops = new Map<string, () => void>();

  const follow = (id: string, name: string, service: string): Promise<void> => {
    if (entries.has(id) || signal.aborted) return Promise.resolve();
    entries.set(id, { id, name, service, invalid: true, ...ZERO });
    return new Promise<void>((firstSample) => {
      let stale: NodeJS.Timeout | undefined;
      const markStale = () => {
        const entry = entries.get(id);
        if (entry) entries.set(id, { ...entry, ...ZERO, invalid: true });
        firstSample();
      };
      const restartTimer = () => {
        clearTimeout(stale);
        stale = setTimeout(markStale, STALE_MS);
      };
      restartTimer();
      let stream: (NodeJS.ReadableStream & { destroy(): void }) | undefined;
      let stopped = false;
      stops.set(id, () => {
        stopped = true;
        clearTimeout(stale);
        stream?.destroy();
        firstSample();
      });
      const lines = new LineSplitter((line) => {
        if (!line.trim() || !entries.has(id)) return;
        entries.set(id, { id, name, service, invalid: false, ...statsFigures(JSON.parse(line) as RawStats) });
        restartTimer();
        firstSample();
      });
      docker
        .getContainer(id)
        .stats({ stream: true })
        .then((s) => {
          stream = s as typeof stream;
          if (stopped) return stream?.destroy();
          s.on("data", (chunk: Buffer) => lines.push(chunk));
          // A container removed under us ends its stream; its entry stays until the event removes it.
          s.on("error", () => undefined);
        })
        .catch(markStale);
    });
  };

  const unfollow = (id: string) => {
    stops.get(id)?.();
    stops.delete(id);
    entries.delete(id);
  };

  const joins = new Set(opts.all ? ["start", "create"] : ["start"]);
  const leaves = new Set(opts.all ? ["destroy"] : ["die", "destroy"]);
  const events = projectEvents(
    docker,
    projectName,
    { services: opts.service ? [opts.service] : undefined, follow: true, signal },
    (event) => {
      if (event.type !== "container") return;
      if (joins.has(event.action)) void follow(event.id, event.name ?? "", event.service ?? "");
      else if (leaves.has(event.action)) unfollow(event.id);
    },
  );

  const ready = projectContainers(docker, projectName, selection(opts)).then((containers) =>
    Promise.all(containers.map((c) => follow(c.Id, containerName(c), serviceOf(c)))).then(() => undefined),
  );

  const done = events.finally(() => {
    for (const id of [...stops.keys()]) unfollow(id);
  });
  return { current: () => [...entries.values()], ready, done };
}
