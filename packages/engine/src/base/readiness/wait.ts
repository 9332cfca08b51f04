import type Docker from "dockerode";
import { AbortedError } from "../errors.js";

/** How often container state is polled while waiting on a condition. */
const POLL_MS = 250;

export type WaitOutcome =
  /** `completed`: the container ran to completion with exit code 0 (a one-shot job). */
  | { ok: true; completed?: boolean }
  /**
   * `state`: what was seen instead, for the message; `output`: the last healthcheck probe output;
   * `exitCode`: set when the container exited for good.
   */
  | {
      ok: false;
      state: string;
      output?: string;
      timedOut?: boolean;
      exitCode?: number;
      /** Set when the engine keeps restarting the container: how many times it did. */
      restarts?: number;
    };

/**
 * Restarts after which a container that keeps exiting counts as a crash loop. The engine's back-off
 * doubles from 100 ms, so this is about 3 s of crashing: a dependency that takes a moment is tolerated.
 */
export const CRASH_LOOP_RESTARTS = 5;
/** A container without a healthcheck counts as up once it has run this long (or was seen running twice). */
const STABLE_MS = 1000;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError("waiting"));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError("waiting"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

type Inspect = Docker.ContainerInspectInfo;

/** Polls `inspect` until `decide` returns an outcome, or the deadline passes. */
async function poll(
  container: Docker.Container,
  decide: (info: Inspect) => WaitOutcome | undefined | Promise<WaitOutcome | undefined>,
  opts: { signal?: AbortSignal; timeoutMs?: number },
): Promise<WaitOutcome> {
  const deadline = opts.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + opts.timeoutMs;
  for (;;) {
    const info = await container.inspect();
    const outcome = await decide(info);
    if (outcome) return outcome;
    if (Date.now() >= deadline) return { ok: false, state: describe(info), timedOut: true };
    await sleep(POLL_MS, opts.signal);
  }
}

function describe(info: Inspect): string {
  const s = info.State;
  if (s.Status === "exited") return `exited with code ${s.ExitCode}`;
  return s.Health ? `${s.Status}, ${s.Health.Status}` : s.Status;
}

function lastProbeOutput(info: Inspect): string | undefined {
  const log = (info.State.Health as { Log?: { Output?: string }[] } | undefined)?.Log;
  return log?.length ? log[log.length - 1].Output?.trim() : undefined;
}

/** Until the healthcheck reports healthy; fails when unhealthy, stopped, or without a healthcheck. */
export function waitHealthy(
  container: Docker.Container,
  opts: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<WaitOutcome> {
  return poll(
    container,
    (info) => {
      const health = info.State.Health;
      if (!health) return { ok: false, state: "no healthcheck configured" };
      if (health.Status === "healthy") return { ok: true };
      if (health.Status === "unhealthy")
        return { ok: false, state: "unhealthy", output: lastProbeOutput(info) };
      if (!info.State.Running) return { ok: false, state: describe(info), output: lastProbeOutput(info) };
      return undefined;
    },
    opts,
  );
}

/** Until the container has exited with code 0. */
export function waitCompleted(
  container: Docker.Container,
  opts: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<WaitOutcome> {
  return poll(
    container,
    (info) => {
      if (info.State.Status !== "exited" && info.State.Status !== "dead") return undefined;
      return info.State.ExitCode === 0 ? { ok: true } : { ok: false, state: describe(info) };
    },
    opts,
  );
}

/** Whether the engine will start an exited container again by itself, per its restart policy. */
function willRestart(info: Inspect): boolean {
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

/** Extra readiness check once running without a healthcheck; returns what was seen while not ready. */
export type ReadyCheck = (info: Inspect) => Promise<string | undefined>;

/**
 * `up --wait`: until running, and healthy if it has a healthcheck (else until `ready` passes). A
 * container that exited with 0 and that its restart policy leaves stopped is a finished one-shot job:
 * done. One that exited otherwise, for good, fails with its exit code.
 */
export function waitRunning(
  container: Docker.Container,
  opts: { signal?: AbortSignal; timeoutMs?: number; ready?: ReadyCheck } = {},
): Promise<WaitOutcome> {
  let notReady: string | undefined;
  let seenStart: string | undefined;
  return poll(
    container,
    async (info) => {
      const s = info.State;
      // The engine reports a container between two restarts as running *and* restarting.
      const restarting =
        s.Restarting || ((s.Status === "exited" || s.Status === "dead") && willRestart(info));
      if (restarting) {
        if (info.RestartCount < CRASH_LOOP_RESTARTS) return undefined;
        return {
          ok: false,
          state: `restarting, exited with code ${s.ExitCode}`,
          exitCode: s.ExitCode,
          restarts: info.RestartCount,
        };
      }
      if (s.Status === "exited" || s.Status === "dead") {
        return s.ExitCode === 0
          ? { ok: true, completed: true }
          : { ok: false, state: describe(info), exitCode: s.ExitCode };
      }
      if (!s.Running) return undefined;
      // Without a healthcheck, "running" once may be a job about to fail or a crash between two restarts:
      // up once it stays up (seen running twice, or running long enough).
      if (!s.Health) {
        const stable = seenStart === s.StartedAt || Date.now() - Date.parse(s.StartedAt) >= STABLE_MS;
        seenStart = s.StartedAt;
        if (!stable) return undefined;
      }
      if (s.Health) {
        if (s.Health.Status === "healthy") return { ok: true };
        if (s.Health.Status === "unhealthy")
          return { ok: false, state: "unhealthy", output: lastProbeOutput(info) };
        return undefined;
      }
      notReady = opts.ready ? await opts.ready(info) : undefined;
      return notReady === undefined ? { ok: true } : undefined;
    },
    opts,
  ).then((outcome) =>
    outcome.ok || !outcome.timedOut || notReady === undefined
      ? outcome
      : { ...outcome, state: `${outcome.state}, ${notReady}` },
  );
}
