import type Docker from "dockerode";
import { AbortedError, type EngineError } from "../base/errors.js";
import type { EventListener } from "../base/events.js";

/** One message of the engine's JSON progress stream (pull, push, build). */
export interface ProgressMessage {
  status?: string;
  id?: string;
  stream?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  /** An object for pulls and the image id; base64 protobuf for `moby.buildkit.trace`. */
  aux?: { ID?: string; Tag?: string; Digest?: string } | string;
  error?: string;
  errorDetail?: { message?: string };
}

/** The three image operations' words: while running, on failure, when done. */
export interface Verbs {
  doing: string;
  failed: string;
  done: string;
}
export const PULL: Verbs = { doing: "Pulling", failed: "Pull", done: "Pulled" };
export const PUSH: Verbs = { doing: "Pushing", failed: "Push", done: "Pushed" };
export const BUILD: Verbs = { doing: "Building", failed: "Build", done: "Built" };

/**
 * Runs one pull, push or build of an image and reports it: working, then done with the time taken, or
 * the operation's own error (an "error" event unless `failure` says "warning"). Ctrl-C is not a
 * failure: it passes through as AbortedError, however the request happened to fail.
 */
export async function reported(
  base: { kind: "image"; name: string; service: string },
  verbs: Verbs,
  signal: AbortSignal | undefined,
  onEvent: EventListener | undefined,
  run: () => Promise<void>,
  failure: (err: unknown) => { error: EngineError; status?: "error" | "warning" },
): Promise<void> {
  const started = Date.now();
  onEvent?.({ ...base, action: verbs.doing, status: "working" });
  try {
    await run();
  } catch (err) {
    if (err instanceof AbortedError) throw err;
    if (signal?.aborted) throw new AbortedError(verbs.failed.toLowerCase());
    const { error, status = "error" } = failure(err);
    onEvent?.({ ...base, action: verbs.failed, status, detail: error.message, error });
    throw error;
  }
  onEvent?.({ ...base, action: verbs.done, status: "done", elapsedMs: Date.now() - started });
}

/** Follows a JSON progress stream; a message with `error` (a failed step, an unknown image) rejects. */
export function followStream(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  signal: AbortSignal | undefined,
  onMessage: (msg: ProgressMessage) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let failed: Error | undefined;
    const onAbort = () => {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      reject(new AbortedError("image operation"));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    docker.modem.followProgress(
      stream,
      (err: Error | null) => {
        signal?.removeEventListener("abort", onAbort);
        if (err || failed) reject(err ?? failed);
        else resolve();
      },
      (msg: ProgressMessage) => {
        if (msg.error || msg.errorDetail) {
          failed ??= new Error(msg.errorDetail?.message ?? msg.error);
          return;
        }
        onMessage(msg);
      },
    );
  });
}
