import { EngineError } from "../../base/errors.js";

export const BuildSessionErrorCodes = {
  /** The engine refused `POST /session` (no BuildKit, or the connection failed). */
  sessionFailed: "BUILD_SESSION_FAILED",
  /** A build secret's file cannot be read or its environment variable is not set. */
  secretUnavailable: "BUILD_SECRET_UNAVAILABLE",
  /** An SSH agent socket or key file of `build.ssh` cannot be used. */
  sshUnavailable: "BUILD_SSH_UNAVAILABLE",
} as const;

export class BuildSessionError extends EngineError {
  constructor(reason: string, options: { cause?: unknown } = {}) {
    super(
      BuildSessionErrorCodes.sessionFailed,
      `cannot open a BuildKit session with the engine: ${reason}`,
      options,
    );
  }
}

export class BuildSecretUnavailableError extends EngineError {
  constructor(
    readonly secret: string,
    reason: string,
  ) {
    super(BuildSessionErrorCodes.secretUnavailable, `build secret ${secret}: ${reason}`);
  }
}

export class BuildSshUnavailableError extends EngineError {
  constructor(
    readonly sshId: string,
    reason: string,
  ) {
    super(BuildSessionErrorCodes.sshUnavailable, `build ssh ${sshId}: ${reason}`);
  }
}
