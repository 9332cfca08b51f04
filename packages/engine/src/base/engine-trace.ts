import type Docker from "dockerode";

/** One request to the engine, reported once the engine has answered it. */
export interface EngineCall {
  method: string;
  /** The endpoint without its query string (which can be long: filters, build arguments). */
  path: string;
  ms: number;
  /** The engine's HTTP status when it refused the request, or the transport error. */
  failure?: string;
}

interface DialOptions {
  method: string;
  path: string;
}
type DialCallback = (err: unknown, data: unknown) => void;
interface Modem {
  dial(options: DialOptions, callback: DialCallback): void;
}

/**
 * Reports every request the client sends (`--verbose`). Every dockerode call goes through the modem's
 * `dial`, so wrapping it sees them all, streams included (reported when their response starts).
 */
export function traceEngineCalls(docker: Docker, onCall: (call: EngineCall) => void): void {
  const modem = docker.modem as Modem;
  const dial = modem.dial.bind(modem);
  modem.dial = (options, callback) => {
    const started = performance.now();
    // dial prefixes the API version to options.path: read it first.
    const call = { method: options.method, path: options.path.split("?")[0] ?? options.path };
    dial(options, (err, data) => {
      const ms = Math.round(performance.now() - started);
      onCall(err ? { ...call, ms, failure: describeFailure(err) } : { ...call, ms });
      callback(err, data);
    });
  };
}

function describeFailure(err: unknown): string {
  const { statusCode, message } = err as { statusCode?: number; message?: string };
  return statusCode ? `HTTP ${statusCode}` : (message ?? String(err));
}
