import { connect } from "node:net";
import type Docker from "dockerode";
import { containerLogLines } from "../container-logs.js";
import { type HostBinding, hostBinding, httpUrl } from "./ports.js";

/**
 * One look at a container: ready (`completed`: it ran to completion with 0, a one-shot job), not yet
 * (`observed`: what was seen), or never (`fatal` says why).
 */
export type ProbeResult =
  | { ready: true; completed?: boolean }
  | {
      ready: false;
      observed?: string;
      fatal?: string;
      /** Set when the container exited for good with this code. */
      exitCode?: number;
      /** Set when the engine keeps restarting the container: how many times it did. */
      restarts?: number;
      /** The healthcheck's last output. */
      output?: string;
    };

export interface ProbeTarget {
  container: Docker.Container;
  /** A fresh inspect, taken just before the probe. */
  info: Docker.ContainerInspectInfo;
  /** How long this probe may take at most. */
  budgetMs: number;
}

export type Probe = (target: ProbeTarget) => Promise<ProbeResult>;

export function describeState(info: Docker.ContainerInspectInfo): string {
  const s = info.State;
  if (s.Status === "exited") return `exited with code ${s.ExitCode}`;
  return s.Health ? `${s.Status}, ${s.Health.Status}` : s.Status;
}

function exited(info: Docker.ContainerInspectInfo): boolean {
  return info.State.Status === "exited" || info.State.Status === "dead";
}

function lastHealthOutput(info: Docker.ContainerInspectInfo): string | undefined {
  const log = (info.State.Health as { Log?: { Output?: string }[] } | undefined)?.Log ?? [];
  return log.at(-1)?.Output?.trim();
}

/** The healthcheck reports healthy; unhealthy, a stopped container or no healthcheck at all fail. */
export const healthyProbe: Probe = async ({ info }) => {
  const health = info.State.Health;
  if (!health) return { ready: false, fatal: "the service has no healthcheck" };
  if (health.Status === "healthy") return { ready: true };
  const output = lastHealthOutput(info);
  if (health.Status === "unhealthy")
    return { ready: false, fatal: output ? `unhealthy: ${output}` : "unhealthy", output };
  if (!info.State.Running) return { ready: false, fatal: describeState(info), output };
  return { ready: false, observed: output ? `${health.Status}: ${output}` : health.Status };
};

export function logMessageProbe(pattern: RegExp | string, times: number): Probe {
  return async ({ container, info }) => {
    const lines = await containerLogLines(container);
    // `search` ignores a global regex's lastIndex, so every line is tested afresh.
    const seen = lines.filter((l) =>
      typeof pattern === "string" ? l.includes(pattern) : l.search(pattern) >= 0,
    );
    if (seen.length >= times) return { ready: true };
    const observed = `${seen.length} of ${times} matching lines`;
    // Logs are read after inspect: an exited container can print nothing more.
    return exited(info)
      ? { ready: false, fatal: `${describeState(info)} after ${observed}` }
      : { ready: false, observed };
  };
}

/**
 * Connects and keeps the connection for a moment: docker's userland proxy accepts on the published
 * port even when nothing listens in the container, and then closes the connection at once.
 */
export function tcpCheck(
  host: string,
  port: number,
  budgetMs: number,
  holdMs = 150,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (why: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(why);
    };
    const timer = setTimeout(() => done("connect timed out"), budgetMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      setTimeout(() => done(undefined), holdMs);
    });
    socket.once("end", () => done("connection closed by the peer"));
    socket.once("error", (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

/** Where a running container publishes `containerPort`, or why it cannot be reached there (yet). */
function runningBinding(info: Docker.ContainerInspectInfo, containerPort: number): HostBinding | ProbeResult {
  if (exited(info)) return { ready: false, fatal: describeState(info) };
  if (!info.State.Running) return { ready: false, observed: info.State.Status };
  return (
    hostBinding(info, containerPort) ?? { ready: false, fatal: `port ${containerPort}/tcp is not published` }
  );
}

export function portProbe(containerPort: number): Probe {
  return async ({ info, budgetMs }) => {
    const binding = runningBinding(info, containerPort);
    if (!("port" in binding)) return binding;
    const failure = await tcpCheck(binding.host, binding.port, budgetMs);
    return failure
      ? { ready: false, observed: `${binding.host}:${binding.port}: ${failure}` }
      : { ready: true };
  };
}

export interface HttpWaitOptions {
  /** Expected status, 200 by default. */
  status?: number;
  method?: string;
}

export function httpProbe(path: string, containerPort: number, opts: HttpWaitOptions = {}): Probe {
  const expected = opts.status ?? 200;
  return async ({ info, budgetMs }) => {
    const binding = runningBinding(info, containerPort);
    if (!("port" in binding)) return binding;
    const url = httpUrl(binding, path);
    try {
      const res = await fetch(url, { method: opts.method ?? "GET", signal: AbortSignal.timeout(budgetMs) });
      await res.body?.cancel();
      return res.status === expected
        ? { ready: true }
        : { ready: false, observed: `${url}: HTTP ${res.status}` };
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      return { ready: false, observed: `${url}: ${cause?.code ?? (err as Error).message}` };
    }
  };
}

/** The container exited with code 0 (`service_completed_successfully`, a migration). */
export const successfulExitProbe: Probe = async ({ info }) => {
  if (!exited(info)) return { ready: false, observed: info.State.Status };
  return info.State.ExitCode === 0
    ? { ready: true, completed: true }
    : { ready: false, fatal: describeState(info), exitCode: info.State.ExitCode };
};

/** Every TCP port the container publishes accepts a connection from this host (see `portProbe`). */
export const publishedPortsProbe: Probe = async (target) => {
  const ports = Object.entries(target.info.NetworkSettings.Ports ?? {})
    .filter(([key, bindings]) => key.endsWith("/tcp") && bindings?.some((b) => b.HostPort))
    .map(([key]) => Number.parseInt(key, 10));
  for (const port of ports) {
    const result = await portProbe(port)(target);
    if (!result.ready) return result;
  }
  return { ready: true };
};

/**
 * Restarts after which a container that keeps exiting counts as a crash loop. The engine's back-off
 * doubles from 100 ms, so this is about 3 s of crashing: a dependency that takes a moment is tolerated.
 */
export const CRASH_LOOP_RESTARTS = 5;
/** A container without a healthcheck counts as up once it has run this long (or was seen running twice). */
const STABLE_MS = 1000;

/** Whether the engine will start an exited container again by itself, per its restart policy. */
function willRestart(info: Docker.ContainerInspectInfo): boolean {
  const policy = info.HostConfig.RestartPolicy;
  switch (policy?.Name) {
    case "always":
    case "unless-stopped":
      return true;
    case "on-failure":
      return (
        info.State.ExitCode !== 0 &&
        (!policy.MaximumRetryCount || info.RestartCount < policy.MaximumRetryCount)
      );
    default:
      return false;
  }
}

/**
 * `up --wait`: running, and healthy if it has a healthcheck (else running steadily and `then` ready). A
 * container that exited with 0 and that its restart policy leaves stopped is a finished one-shot job:
 * ready, `completed`. One that exited otherwise, for good, or keeps crashing, fails with its exit code.
 * Keeps what it saw between looks: make one per container.
 */
export function runningProbe(then?: Probe): Probe {
  let seenStart: string | undefined;
  return async (target) => {
    const { info } = target;
    const s = info.State;
    // The engine reports a container between two restarts as running *and* restarting.
    if (s.Restarting || (exited(info) && willRestart(info))) {
      if (info.RestartCount < CRASH_LOOP_RESTARTS) return { ready: false };
      return {
        ready: false,
        fatal: `restarting, exited with code ${s.ExitCode}`,
        exitCode: s.ExitCode,
        restarts: info.RestartCount,
      };
    }
    if (exited(info)) {
      return s.ExitCode === 0
        ? { ready: true, completed: true }
        : { ready: false, fatal: describeState(info), exitCode: s.ExitCode };
    }
    if (!s.Running) return { ready: false };
    if (s.Health) {
      if (s.Health.Status === "healthy") return { ready: true };
      if (s.Health.Status === "unhealthy") {
        const output = lastHealthOutput(info);
        return { ready: false, fatal: output ? `unhealthy: ${output}` : "unhealthy", output };
      }
      return { ready: false };
    }
    // Without a healthcheck, "running" once may be a job about to fail or a crash between two restarts:
    // up once it stays up (seen running twice, or running long enough).
    const stable = seenStart === s.StartedAt || Date.now() - Date.parse(s.StartedAt) >= STABLE_MS;
    seenStart = s.StartedAt;
    if (!stable) return { ready: false };
    if (!then) return { ready: true };
    const result = await then(target);
    // What `then` finds wrong while the container runs is only "not ready yet" to `up --wait`.
    return result.ready ? { ready: true } : { ready: false, observed: result.observed ?? result.fatal };
  };
}
