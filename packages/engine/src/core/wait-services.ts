import type { Project } from "@berth/compose-schema";
import type Docker from "dockerode";
import {
  ContainerExitedError,
  CrashLoopError,
  HealthcheckFailedError,
  ServiceFailedError,
  WaitTimeoutError,
} from "../base/errors.js";
import type { EngineEvent } from "../base/events.js";
import { publishedPortsProbe, runningProbe } from "../base/readiness/probes.js";
import { waitUntilReady } from "../base/readiness/wait.js";
import type { RunningContainer } from "./apply.js";

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
      // Without a healthcheck, ready once every published TCP port accepts from the host: the probe
      // needs nothing inside the container, so images without a shell work.
      const outcome = await waitUntilReady(container, runningProbe(publishedPortsProbe), {
        signal: opts.signal,
        timeoutMs: Number.isFinite(deadline) ? Math.max(0, deadline - Date.now()) : undefined,
      });
      if (outcome.ready) {
        const action = outcome.completed
          ? "Exited"
          : project.services[service]?.healthcheck
            ? "Healthy"
            : "Running";
        emit({ ...base, action, status: "done" });
        return;
      }
      const error = outcome.timedOut
        ? new WaitTimeoutError(
            service,
            opts.waitTimeoutMs ?? 0,
            outcome.observed ? `${outcome.state}, ${outcome.observed}` : outcome.state,
          )
        : outcome.restarts !== undefined
          ? new CrashLoopError(service, c.name, outcome.restarts, outcome.exitCode ?? 0, outcome.lastLogLines)
          : outcome.exitCode !== undefined
            ? new ContainerExitedError(service, c.name, outcome.exitCode, outcome.lastLogLines)
            : outcome.output !== undefined
              ? new HealthcheckFailedError(service, c.name, outcome.output)
              : new ServiceFailedError(service, `container ${c.name} ${outcome.fatal ?? outcome.state}`);
      emit({ ...base, action: "Error", status: "error", detail: error.message, error });
      throw error;
    }),
  );
  const results = await Promise.allSettled(waits);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
