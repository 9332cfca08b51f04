import { connect } from "node:net";
import type Docker from "dockerode";
import { containerLogLines } from "../container-logs.js";
import { hostBinding, httpUrl } from "./ports.js";

/** One look at a container: ready, not yet (with what was seen), or never (`fatal` says why). */
export type ProbeResult = { ready: true } | { ready: false; observed?: string; fatal?: string };

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

export const healthyProbe: Probe = async ({ info }) => {
  const health = info.State.Health;
  if (!health) return { ready: false, fatal: "the service has no healthcheck" };
  if (health.Status === "healthy") return { ready: true };
  const log = (health as { Log?: { Output?: string }[] }).Log ?? [];
  const output = log.at(-1)?.Output?.trim();
  if (health.Status === "unhealthy") return { ready: false, fatal: `unhealthy: ${output ?? ""}` };
  if (exited(info)) return { ready: false, fatal: describeState(info) };
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

export function portProbe(containerPort: number): Probe {
  return async ({ info, budgetMs }) => {
    if (exited(info)) return { ready: false, fatal: describeState(info) };
    if (!info.State.Running) return { ready: false, observed: info.State.Status };
    const binding = hostBinding(info, containerPort);
    if (!binding) return { ready: false, fatal: `port ${containerPort}/tcp is not published` };
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
    if (exited(info)) return { ready: false, fatal: describeState(info) };
    if (!info.State.Running) return { ready: false, observed: info.State.Status };
    const binding = hostBinding(info, containerPort);
    if (!binding) return { ready: false, fatal: `port ${containerPort}/tcp is not published` };
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

export const successfulExitProbe: Probe = async ({ info }) => {
  if (!exited(info)) return { ready: false, observed: info.State.Status };
  return info.State.ExitCode === 0 ? { ready: true } : { ready: false, fatal: describeState(info) };
};
