import { EngineError, EngineErrorCodes } from "../base/errors.js";

/** Stable codes of the test-stack API's own errors (besides `WAIT_TIMEOUT`, shared with `up --wait`). */
export const TestStackErrorCodes = {
  waitTimeout: EngineErrorCodes.waitTimeout,
  waitFailed: "WAIT_FAILED",
  portNotPublished: "PORT_NOT_PUBLISHED",
} as const;

/** What a failed wait knew: for the message, so that a red CI run explains itself. */
export interface WaitReport {
  service: string;
  container: string;
  /** What was waited for, e.g. `log message /ready/ (1 time)`. */
  waitedFor: string;
  /** Engine state of the container when giving up, e.g. `running` or `exited with code 1`. */
  state: string;
  /** The last thing the probe saw, e.g. `HTTP 404` or `ECONNREFUSED`. */
  observed?: string;
  lastLogLines: string[];
}

function describeReport(r: WaitReport): string {
  const observed = r.observed ? `; last probe: ${r.observed}` : "";
  return `service ${r.service} (container ${r.container}): ${r.waitedFor}; state: ${r.state}${observed}`;
}

function logDetail(lines: string[]): string {
  return lines.length ? `last log lines:\n${lines.join("\n")}` : "no log output";
}

/** A wait strategy did not succeed within its timeout. */
export class TestStackWaitTimeoutError extends EngineError {
  constructor(
    readonly report: WaitReport,
    readonly timeoutMs: number,
  ) {
    super(
      TestStackErrorCodes.waitTimeout,
      `timed out after ${timeoutMs / 1000}s waiting for ${describeReport(report)}\n${logDetail(report.lastLogLines)}`,
      { detail: report.lastLogLines.join("\n") },
    );
  }
}

/** A wait strategy can no longer succeed (the container exited, the healthcheck failed…). */
export class TestStackWaitFailedError extends EngineError {
  constructor(
    readonly report: WaitReport,
    reason: string,
  ) {
    super(
      TestStackErrorCodes.waitFailed,
      `gave up waiting for ${describeReport(report)}: ${reason}\n${logDetail(report.lastLogLines)}`,
      { detail: report.lastLogLines.join("\n") },
    );
  }
}

export class PortNotPublishedError extends EngineError {
  constructor(
    readonly service: string,
    readonly port: string,
    readonly index: number,
  ) {
    super(
      TestStackErrorCodes.portNotPublished,
      `port ${port} of service ${service} (container ${index}) is not published: add it to the service's ports`,
    );
  }
}
