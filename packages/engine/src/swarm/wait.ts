import type Docker from "dockerode";
import type { EventListener } from "../base/events.js";
import { Wake, pollUntil } from "../base/readiness/poll.js";
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
  /** The readiness loop's interval unless set (tests). */
  pollMs?: number;
  onEvent?: EventListener;
  signal?: AbortSignal;
  /** The stack's name: its container events on this engine wake the poll early. */
  stack?: string;
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
  const ids = [...pending.values()];
  const wake = new Wake();
  let woken = false;
  const stopWatching = await watchEvents(docker, options.stack, () => {
    if (woken) return;
    woken = true;
    setTimeout(() => wake.ring(), AFTER_EVENT_MS);
  });
  try {
    const { last, timedOut } = await pollUntil(
      async () => {
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
          else if (progress.state === "failed" || progress.state === "rolled-back")
            return {
              ready: false,
              fatal: progress.text,
              service: name,
              rolledBack: progress.state === "rolled-back",
            };
        }
        return { ready: pending.size === 0 };
      },
      {
        timeoutMs: options.timeoutSeconds ? options.timeoutSeconds * 1000 : undefined,
        signal: options.signal,
        intervalMs: options.pollMs,
        wake,
      },
    );
    if (timedOut) throw new SwarmWaitTimeoutError([...pending.keys()], options.timeoutSeconds ?? 0);
    if ("service" in last && last.fatal !== undefined)
      throw new SwarmServiceFailedError(last.service, last.fatal, last.rolledBack);
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
