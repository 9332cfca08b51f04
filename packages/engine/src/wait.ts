import type Docker from "dockerode";
import { AbortedError } from "./errors.js";

/** How often container state is polled while waiting on a condition. */
const POLL_MS = 250;

export type WaitOutcome =
  | { ok: true }
  /** `state`: what was seen instead, for the message; `output`: the last healthcheck probe output. */
  | { ok: false; state: string; output?: string; timedOut?: boolean };

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
  decide: (info: Inspect) => WaitOutcome | undefined,
  opts: { signal?: AbortSignal; timeoutMs?: number },
): Promise<WaitOutcome> {
  const deadline = opts.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + opts.timeoutMs;
  for (;;) {
    const info = await container.inspect();
    const outcome = decide(info);
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

/**
 * `up --wait`: until running, and healthy if it has a healthcheck. A container that exited with 0
 * counts as done when `exitOk` (a job others wait on with service_completed_successfully).
 */
export function waitRunning(
  container: Docker.Container,
  opts: { signal?: AbortSignal; timeoutMs?: number; exitOk?: boolean } = {},
): Promise<WaitOutcome> {
  return poll(
    container,
    (info) => {
      const s = info.State;
      if (s.Status === "exited" || s.Status === "dead") {
        return opts.exitOk && s.ExitCode === 0 ? { ok: true } : { ok: false, state: describe(info) };
      }
      if (!s.Running) return undefined;
      if (!s.Health || s.Health.Status === "healthy") return { ok: true };
      if (s.Health.Status === "unhealthy")
        return { ok: false, state: "unhealthy", output: lastProbeOutput(info) };
      return undefined;
    },
    opts,
  );
}
