import type { SourceLocation } from "@berth/compose-schema";
import { EngineError } from "../../base/errors.js";

export const BuildErrorCodes = {
  /** The build ran and failed (a step, the engine). */
  buildFailed: "IMAGE_BUILD_FAILED",
  /** A `build:` key this builder or engine cannot honour; reported before anything is built. */
  unsupportedKey: "BUILD_KEY_UNSUPPORTED",
  /** A Dockerfile construct the engine's built-in Dockerfile frontend predates. */
  frontendTooOld: "BUILD_FRONTEND_TOO_OLD",
  /** The frontend image a `# syntax=` line names could not be pulled. */
  frontendUnavailable: "BUILD_FRONTEND_UNAVAILABLE",
  /** `additional_contexts: service:NAME` names no service that builds an image, or a cycle. */
  badServiceContext: "BUILD_SERVICE_CONTEXT",
} as const;

/** Newer frontends come through a `# syntax=` line, which the engine pulls from a registry. */
export const FRONTEND_HINT =
  "it needs Dockerfile frontend 1.4 or later: add `# syntax=docker/dockerfile:1` as the Dockerfile's first line (the engine then pulls that frontend from a registry) or use an engine whose built-in frontend is 1.4 or later (Docker 23+)";

export class BuildKeyError extends EngineError {
  constructor(
    readonly service: string,
    readonly key: string,
    reason: string,
  ) {
    super(BuildErrorCodes.unsupportedKey, `service ${service}: build.${key}: ${reason}`);
  }
}

export class FrontendTooOldError extends EngineError {
  constructor(
    readonly service: string,
    /** What needs the newer frontend: `COPY --link (Dockerfile:4)`, `build.additional_contexts`. */
    readonly construct: string,
  ) {
    super(BuildErrorCodes.frontendTooOld, `service ${service}: ${construct}: ${FRONTEND_HINT}`);
  }
}

export class FrontendUnavailableError extends EngineError {
  constructor(
    readonly service: string,
    readonly frontend: string,
    reason: string,
  ) {
    super(
      BuildErrorCodes.frontendUnavailable,
      `service ${service}: the Dockerfile frontend ${frontend} named by its \`# syntax=\` line could not be pulled (${reason.trim()}): make that image reachable from the engine, or remove the line to use the engine's built-in frontend`,
    );
  }
}

export class ServiceContextError extends EngineError {
  constructor(
    readonly service: string,
    reason: string,
  ) {
    super(BuildErrorCodes.badServiceContext, `service ${service}: build.additional_contexts: ${reason}`);
  }
}

export class ImageBuildError extends EngineError {
  constructor(
    readonly service: string,
    readonly step: string | undefined,
    reason: string,
    /** `detail`: the failed step's last log lines; `location`: the Dockerfile line of its instruction. */
    options: { cause?: unknown; detail?: string; location?: SourceLocation } = {},
  ) {
    super(
      BuildErrorCodes.buildFailed,
      `service ${service} failed to build${step ? ` at ${step}` : ""}: ${reason.trim()}`,
      options,
    );
  }
}
