import type Docker from "dockerode";
import type { EventListener } from "../base/events.js";
import type { ApiService, ApiTask } from "./api-types.js";
import { SwarmServiceFailedError, SwarmWaitTimeoutError } from "./errors.js";
import { SwarmStackLabels } from "./labels.js";
import { type ServiceProgress, assessService } from "./progress.js";

export interface WaitOptions {
  /** Compose service name → engine service ID. */
  services: Record<string, string>;
  /** Epoch ms the deploy started: only updates and failures since then count. */
  since: number;
  timeoutSeconds?: number;
  pollMs?: number;
  onEvent?: EventListener;
  signal?: AbortSignal;
  /** The stack's name: its container events on this engine wake the poll early. */
  stack?: string;
}

/**
 * Resolves after `ms`, or earlier when `wake` is called or the signal aborts (then it rejects with the
 * abort reason, so Ctrl-C does not wait out a poll interval).
 */
function pause(ms: number, signal: AbortSignal | undefined, waker: { wake?: () => void }): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", aborted);
      waker.wake = undefined;
    };
    const aborted = () => {
      done();
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      done();
      resolve();
    }, ms);
    waker.wake = () => {
      done();
      resolve();
    };
    signal?.addEventListener("abort", aborted, { once: true });
    if (signal?.aborted) aborted();
  });
}

/**
 * Container events of the stack on this engine wake the poll at once (a task started or died here);
 * the periodic poll still covers tasks on other nodes. Best effort: without events the poll goes on.
 */
async function watchEvents(
  docker: Docker,
  stack: string | undefined,
  onEvent: () => void,
): Promise<() => void> {
  if (!stack) return () => {};
  try {
    const stream = (await docker.getEvents({
      filters: { type: ["container"], label: [`${SwarmStackLabels.namespace}=${stack}`] },
    })) as NodeJS.ReadableStream & { destroy?: () => void };
    stream.on("data", onEvent);
    stream.on("error", () => {});
    return () => stream.destroy?.();
  } catch {
    return () => {};
  }
}

/** After a container event, the agent reports the task's new state to the manager a moment later. */
const AFTER_EVENT_MS = 60;

/**
 * Polls the stack's services until every one runs its desired tasks on the current spec, one fails,
 * or one is rolled back. Reports each change of a service's progress once.
 */
export async function waitForServices(docker: Docker, options: WaitOptions): Promise<void> {
  const emit = options.onEvent ?? (() => {});
  const pending = new Map(Object.entries(options.services));
  const shown = new Map<string, string>();
  const deadline = options.timeoutSeconds
    ? Date.now() + options.timeoutSeconds * 1000
    : Number.POSITIVE_INFINITY;
  const ids = [...pending.values()];
  const waker: { wake?: () => void } = {};
  let woken = false;
  const stopWatching = await watchEvents(docker, options.stack, () => {
    if (woken) return;
    woken = true;
    setTimeout(() => waker.wake?.(), AFTER_EVENT_MS);
  });
  try {
    while (pending.size > 0) {
      options.signal?.throwIfAborted();
      woken = false;
      const [services, tasks] = await Promise.all([
        docker.listServices({ filters: { id: ids }, status: true } as Docker.ServiceListOptions) as Promise<
          unknown[]
        > as Promise<ApiService[]>,
        docker.listTasks({ filters: { service: ids } }) as Promise<ApiTask[]>,
      ]);
      for (const [name, id] of pending) {
        const service = services.find((s) => s.ID === id);
        if (!service) continue;
        const progress = assessService(service, tasks, options.since);
        report(emit, name, service.Spec.Name, progress, shown, options.since);
        if (progress.state === "converged") pending.delete(name);
        else if (progress.state === "failed") throw new SwarmServiceFailedError(name, progress.text);
        else if (progress.state === "rolled-back")
          throw new SwarmServiceFailedError(name, progress.text, true);
      }
      if (pending.size === 0) break;
      if (Date.now() > deadline) {
        throw new SwarmWaitTimeoutError([...pending.keys()], options.timeoutSeconds ?? 0);
      }
      await pause(options.pollMs ?? 250, options.signal, waker);
    }
  } finally {
    stopWatching();
  }
}

function report(
  emit: EventListener,
  service: string,
  engineName: string,
  progress: ServiceProgress,
  shown: Map<string, string>,
  since: number,
): void {
  const key = `${progress.state} ${progress.text}`;
  if (shown.get(service) === key) return;
  shown.set(service, key);
  const base = { kind: "service" as const, name: engineName, service, elapsedMs: Date.now() - since };
  switch (progress.state) {
    case "converged":
      emit({ ...base, action: "Running", status: "done", detail: progress.text });
      return;
    case "failed":
    case "rolled-back":
      emit({
        ...base,
        action: progress.state === "failed" ? "Failed" : "Rolled back",
        status: "error",
        detail: progress.text,
      });
      return;
    default:
      emit({
        ...base,
        action: progress.state === "updating" ? "Updating" : "Waiting",
        status: "progress",
        detail: progress.text,
        progress: { current: progress.running, total: progress.desired, text: progress.text },
      });
  }
}
