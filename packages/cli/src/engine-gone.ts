import http from "node:http";
import { CliError } from "./errors.js";
import type { Env } from "./options.js";

/** What a request says when the engine's socket is gone or stops answering mid-operation. */
const CONNECTION_LOST = /\b(ECONNREFUSED|ECONNRESET|EPIPE|ENOENT|ETIMEDOUT)\b|socket hang up/;

function mentionsLostConnection(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string" && CONNECTION_LOST.test(code)) return true;
    if (typeof message === "string" && CONNECTION_LOST.test(message)) return true;
  }
  return false;
}

/**
 * When an operation failed because the engine went away (stopped or restarted in the middle of `up`),
 * the request that noticed first says `connect ECONNREFUSED /var/run/docker.sock` under some service:
 * report the cause instead, in one line. Only a failed ping confirms it, so that a refused connection
 * elsewhere (a port probe) or a plain service failure is never mistaken for the engine.
 */
export async function explainEngineGone(error: unknown, env: Env): Promise<unknown> {
  if (error instanceof CliError) return error;
  const { EngineErrorCodes, EngineUnreachableError, describeHost } = await import("@berth/engine");
  // An engine error is worth a ping too: an engine stopping gracefully first stops its containers, and
  // what a wait saw of that is not the cause. Loader errors never need the engine explained.
  const code = (error as { code?: unknown }).code;
  const engineError = (Object.values(EngineErrorCodes) as unknown[]).includes(code);
  if (!engineError && !mentionsLostConnection(error)) return error;
  if (await answersPing(env)) return error;
  return new EngineUnreachableError(describeHost(env.DOCKER_HOST), { cause: error });
}

/**
 * GET /_ping on a new connection. Not through the client the command used: a stopping dockerd closes its
 * socket but still answers on connections already open, which a keep-alive agent would reuse. Hosts this
 * cannot reach on its own (TLS, ssh) count as answering, so their errors are shown as they are.
 */
function answersPing(env: Env): Promise<boolean> {
  const host = env.DOCKER_HOST;
  let target: http.RequestOptions;
  if (!host || host.startsWith("unix://") || host.startsWith("/")) {
    target = { socketPath: host?.replace(/^unix:\/\//, "") || "/var/run/docker.sock" };
  } else if (/^tcp:\/\//.test(host) && env.DOCKER_TLS_VERIFY !== "1" && !host.endsWith(":2376")) {
    const url = new URL(host);
    target = { host: url.hostname, port: Number(url.port) || 2375 };
  } else {
    return Promise.resolve(true);
  }
  return new Promise((resolve) => {
    const request = http.get({ ...target, path: "/_ping", agent: false, timeout: 5000 }, (response) => {
      response.resume();
      resolve(true);
    });
    request.on("timeout", () => request.destroy(new Error("timeout")));
    // Only a connection that cannot be made means the engine is gone; a slow answer is not proof.
    request.on("error", (err: NodeJS.ErrnoException) => resolve(err.message === "timeout"));
  });
}
