import type { Project } from "@berth/compose-schema";
import type Docker from "dockerode";
import { containerLogLines } from "../base/container-logs.js";
import {
  ContainerExitedError,
  CrashLoopError,
  HealthcheckFailedError,
  ServiceFailedError,
  WaitTimeoutError,
} from "../base/errors.js";
import type { EngineEvent } from "../base/events.js";
import { portProbe } from "../base/readiness/probes.js";
import { type ReadyCheck, waitRunning } from "../base/readiness/wait.js";
import type { RunningContainer } from "./apply.js";

/** Log lines quoted when a container exits with an error. */
const LAST_LINES = 10;
/** How long one host-side connect may take. */
const PROBE_BUDGET_MS = 1000;

/**
 * Without a healthcheck, a container is ready once every TCP port it publishes accepts a connection
 * from the host: the probe needs nothing inside the container, so images without a shell work.
 */
const publishedPortsAccept =
  (container: Docker.Container): ReadyCheck =>
  async (info) => {
    const ports = Object.entries(info.NetworkSettings.Ports ?? {})
      .filter(([key, bindings]) => key.endsWith("/tcp") && bindings?.some((b) => b.HostPort))
      .map(([key]) => Number.parseInt(key, 10));
    for (const port of ports) {
      const result = await portProbe(port)({ container, info, budgetMs: PROBE_BUDGET_MS });
      if (!result.ready) return result.observed ?? result.fatal;
    }
    return undefined;
  };

/** `up --wait`: every container running (healthy, or accepting on its published ports) or finished with 0. */
export async function waitForServices(
  docker: Docker,
  project: Project,
  containers: Map<string, RunningContainer[]>,
  opts: { signal?: AbortSignal; waitTimeoutMs?: number },
  emit: (e: EngineEvent) => void,
): Promise<void> {
  const deadline = Date.now() + (opts.waitTimeoutMs ?? Number.POSITIVE_INFINITY);
  const waits = [...containers].flatMap(([service, list]) =>
    list.map(async (c) => {
      const base = { kind: "container", name: c.name, service } as const;
      emit({ ...base, action: "Waiting", status: "working" });
      const container = docker.getContainer(c.id);
      const outcome = await waitRunning(container, {
        signal: opts.signal,
        timeoutMs: Number.isFinite(deadline) ? Math.max(0, deadline - Date.now()) : undefined,
        ready: publishedPortsAccept(container),
      });
      if (outcome.ok) {
        const action = outcome.completed
          ? "Exited"
          : project.services[service]?.healthcheck
            ? "Healthy"
            : "Running";
        emit({ ...base, action, status: "done" });
        return;
      }
      const error = outcome.timedOut
        ? new WaitTimeoutError(service, opts.waitTimeoutMs ?? 0, outcome.state)
        : outcome.restarts !== undefined
          ? new CrashLoopError(
              service,
              c.name,
              outcome.restarts,
              outcome.exitCode ?? 0,
              await containerLogLines(container, LAST_LINES).catch(() => []),
            )
          : outcome.exitCode !== undefined
            ? new ContainerExitedError(
                service,
                c.name,
                outcome.exitCode,
                await containerLogLines(container, LAST_LINES).catch(() => []),
              )
            : outcome.output !== undefined
              ? new HealthcheckFailedError(service, c.name, outcome.output)
              : new ServiceFailedError(service, `container ${c.name} ${outcome.state}`);
      emit({ ...base, action: "Error", status: "error", detail: error.message, error });
      throw error;
    }),
  );
  const results = await Promise.allSettled(waits);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
