import type Docker from "dockerode";
import {
  type HttpWaitOptions,
  type Probe,
  healthyProbe,
  httpProbe,
  logMessageProbe,
  portProbe,
  successfulExitProbe,
} from "../base/readiness/probes.js";
import { waitUntilReady } from "../base/readiness/wait.js";
import { TestStackWaitFailedError, TestStackWaitTimeoutError } from "./errors.js";

/** What to wait for in each container of a service before `startTestStack` returns. Immutable. */
export class WaitStrategy {
  constructor(
    /** What is waited for, in the words of the timeout message. */
    readonly description: string,
    readonly probe: Probe,
    /** Overrides `startTestStack`'s `timeoutMs` for this wait. */
    readonly timeoutMs?: number,
  ) {}

  withTimeout(timeoutMs: number): WaitStrategy {
    return new WaitStrategy(this.description, this.probe, timeoutMs);
  }
}

export const Wait = {
  /** The container's healthcheck reports healthy; fails at once when it reports unhealthy. */
  forHealthy: () => new WaitStrategy("the healthcheck to report healthy", healthyProbe),
  /** `times` log lines (stdout or stderr) match `pattern`. */
  forLogMessage: (pattern: RegExp | string, times = 1) =>
    new WaitStrategy(
      `log message ${String(pattern)} (${times} time${times === 1 ? "" : "s"})`,
      logMessageProbe(pattern, times),
    ),
  /** A TCP connection from this host to where `containerPort` is published is accepted and kept. */
  forPort: (containerPort: number) =>
    new WaitStrategy(`port ${containerPort}/tcp to accept connections`, portProbe(containerPort)),
  /** An HTTP request to `path` on the published `containerPort` answers with `status` (200). */
  forHttp: (path: string, containerPort: number, opts: HttpWaitOptions = {}) =>
    new WaitStrategy(
      `HTTP ${opts.method ?? "GET"} ${path} on port ${containerPort} to answer ${opts.status ?? 200}`,
      httpProbe(path, containerPort, opts),
    ),
  /** The container exits with code 0 (a migration, a seed job). */
  forSuccessfulExit: () => new WaitStrategy("the container to exit with code 0", successfulExitProbe),
} as const;

export interface WaitTarget {
  service: string;
  id: string;
  name: string;
}

/** Probes one container until the strategy is satisfied; throws what was seen when it cannot be. */
export async function waitForContainer(
  docker: Docker,
  target: WaitTarget,
  strategy: WaitStrategy,
  defaultTimeoutMs: number,
): Promise<void> {
  const timeoutMs = strategy.timeoutMs ?? defaultTimeoutMs;
  const outcome = await waitUntilReady(docker.getContainer(target.id), strategy.probe, { timeoutMs });
  if (outcome.ready) return;
  const report = {
    service: target.service,
    container: target.name,
    waitedFor: strategy.description,
    state: outcome.state,
    observed: outcome.observed,
    lastLogLines: outcome.lastLogLines,
  };
  if (outcome.timedOut) throw new TestStackWaitTimeoutError(report, timeoutMs);
  throw new TestStackWaitFailedError(report, outcome.fatal ?? outcome.state);
}
