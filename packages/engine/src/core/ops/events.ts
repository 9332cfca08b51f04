import type Docker from "dockerode";
import { Labels } from "../../base/labels.js";

/** One engine event about a resource of the project, as `docker compose events --json` reports them. */
export interface ProjectEvent {
  time: Date;
  /** container, network, volume, image… */
  type: string;
  /** create, start, die, health_status: healthy, kill… */
  action: string;
  id: string;
  service?: string;
  /** The container's name (for containers), from the event's attributes. */
  name?: string;
  attributes: Record<string, string>;
}

interface RawEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes?: Record<string, string> };
  time: number;
  timeNano?: number;
}

export function toProjectEvent(raw: RawEvent): ProjectEvent {
  const attributes = raw.Actor.Attributes ?? {};
  const event: ProjectEvent = {
    time: raw.timeNano ? new Date(Math.floor(raw.timeNano / 1e6)) : new Date(raw.time * 1000),
    type: raw.Type,
    action: raw.Action,
    id: raw.Actor.ID,
    attributes,
  };
  if (attributes[Labels.service]) event.service = attributes[Labels.service];
  if (attributes.name) event.name = attributes.name;
  return event;
}

export interface EventsOptions {
  services?: string[];
  /** Unix seconds or a date the engine accepts. */
  since?: string | number;
  until?: string | number;
  /** Keep streaming until `signal` aborts; otherwise stop at `until` (default now). */
  follow?: boolean;
  signal?: AbortSignal;
}

/** Streams the engine's events about the project's resources (by label). Resolves when the stream ends. */
export async function projectEvents(
  docker: Docker,
  projectName: string,
  opts: EventsOptions,
  onEvent: (event: ProjectEvent) => void,
): Promise<void> {
  // Fractional seconds: a whole-second `until` would cut off this second's events.
  const until = opts.follow ? opts.until : (opts.until ?? (Date.now() / 1000).toFixed(3));
  const stream = await docker.getEvents({
    filters: { label: [`${Labels.project}=${projectName}`] },
    ...(opts.since !== undefined ? { since: opts.since } : {}),
    ...(until !== undefined ? { until } : {}),
  } as Parameters<Docker["getEvents"]>[0]);
  const services = opts.services?.length ? new Set(opts.services) : undefined;
  let buffer = "";
  await new Promise<void>((resolve, reject) => {
    const stop = () => {
      (stream as NodeJS.ReadableStream & { destroy: () => void }).destroy();
      resolve();
    };
    if (opts.signal?.aborted) return stop();
    opts.signal?.addEventListener("abort", stop, { once: true });
    stream.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.trim()) continue;
        const event = toProjectEvent(JSON.parse(line) as RawEvent);
        if (!services || (event.service && services.has(event.service))) onEvent(event);
      }
    });
    stream.on("error", (err) => (opts.signal?.aborted ? resolve() : reject(err)));
    stream.on("end", () => {
      opts.signal?.removeEventListener("abort", stop);
      resolve();
    });
  });
}
