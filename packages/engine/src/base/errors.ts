import { BerthError } from "@berth/compose-schema";

/** Stable codes of engine errors: tools and tests match on these, never on messages. */
export const EngineErrorCodes = {
  dependencyCycle: "DEPENDENCY_CYCLE",
  missingDependency: "MISSING_DEPENDENCY",
  resourceConflict: "RESOURCE_CONFLICT",
  resourceFailed: "RESOURCE_FAILED",
  externalNotFound: "EXTERNAL_NOT_FOUND",
  serviceFailed: "SERVICE_FAILED",
  healthcheckFailed: "HEALTHCHECK_FAILED",
  dependencyFailed: "DEPENDENCY_FAILED",
  portInUse: "PORT_IN_USE",
  imageNotFound: "IMAGE_NOT_FOUND",
  engineUnreachable: "ENGINE_UNREACHABLE",
  waitTimeout: "WAIT_TIMEOUT",
  aborted: "ABORTED",
  containerExited: "CONTAINER_EXITED",
  crashLoop: "CRASH_LOOP",
  networkInUse: "NETWORK_IN_USE",
  unsupportedService: "UNSUPPORTED_SERVICE",
  /** Work not begun because another service failed first. */
  notStarted: "NOT_STARTED",
} as const;

export class EngineError extends BerthError {}

/** `config` reports a cycle too, so the one class lives beside the loader. */
export { DependencyCycleError } from "@berth/compose-schema";

export class MissingDependencyError extends EngineError {
  constructor(
    readonly service: string,
    readonly dependency: string,
    readonly disabled: boolean,
  ) {
    super(
      EngineErrorCodes.missingDependency,
      disabled
        ? `service ${service} depends on ${dependency}, which is disabled by its profiles: enable a profile of ${dependency} or mark the dependency required: false`
        : `service ${service} depends on undefined service ${dependency}`,
    );
  }
}

/** An existing network or volume does not match the compose file. */
export class ResourceConflictError extends EngineError {
  constructor(
    readonly kind: "network" | "volume" | "container",
    readonly resource: string,
    message: string,
  ) {
    super(EngineErrorCodes.resourceConflict, message);
  }
}

/** The engine refused to create a network or volume (overlapping subnet, unknown driver…). */
export class ResourceFailedError extends EngineError {
  constructor(
    readonly kind: "network" | "volume",
    readonly resource: string,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(EngineErrorCodes.resourceFailed, `creating ${kind} ${resource} failed: ${reason}`, options);
  }
}

export class ExternalResourceNotFoundError extends EngineError {
  constructor(
    readonly kind: "network" | "volume" | "secret" | "config",
    readonly resource: string,
  ) {
    super(
      EngineErrorCodes.externalNotFound,
      `${kind} ${resource} declared as external, but could not be found: create it with docker ${kind} create ${resource}`,
    );
  }
}

export class ServiceFailedError extends EngineError {
  constructor(
    readonly service: string,
    reason: string,
    options: { cause?: unknown; detail?: string } = {},
  ) {
    super(EngineErrorCodes.serviceFailed, `service ${service} failed: ${reason}`, options);
  }
}

/** A container stopped for good with a non-zero exit code while `up --wait` waited for it. */
export class ContainerExitedError extends EngineError {
  constructor(
    readonly service: string,
    readonly container: string,
    readonly exitCode: number,
    readonly lastLines: readonly string[],
  ) {
    const tail = lastLines.length ? "; its last log lines follow" : "; it logged nothing";
    super(
      EngineErrorCodes.containerExited,
      `service ${service} failed: container ${container} exited with code ${exitCode}${tail}`,
      { detail: lastLines.join("\n") },
    );
  }
}

/** `up --wait`: the restart policy keeps restarting a container that keeps exiting. */
export class CrashLoopError extends EngineError {
  constructor(
    readonly service: string,
    readonly container: string,
    readonly restarts: number,
    readonly exitCode: number,
    readonly lastLines: readonly string[],
  ) {
    const tail = lastLines.length ? "; its last log lines follow" : "; it logged nothing";
    super(
      EngineErrorCodes.crashLoop,
      `service ${service} failed: container ${container} is in a crash loop (restarted ${restarts} times, last exit code ${exitCode})${tail}`,
      { detail: lastLines.join("\n") },
    );
  }
}

/** `down` left networks in place because containers it does not remove are still attached. */
export class NetworkInUseError extends EngineError {
  constructor(readonly networks: readonly { network: string; containers: readonly string[] }[]) {
    super(
      EngineErrorCodes.networkInUse,
      networks
        .map(({ network, containers }) => {
          const disconnect = containers.map((c) => `docker network disconnect ${network} ${c}`).join(" and ");
          const which =
            containers.length === 1 ? `container ${containers[0]}` : `containers ${containers.join(", ")}`;
          const them = containers.length === 1 ? "it" : "them";
          return `network ${network} is still used by ${which} (not part of this project): stop ${them} or disconnect ${them} with ${disconnect}, then run berth down again`;
        })
        .join("; "),
    );
  }
}

export class HealthcheckFailedError extends EngineError {
  constructor(
    readonly service: string,
    readonly container: string,
    readonly output: string,
  ) {
    super(
      EngineErrorCodes.healthcheckFailed,
      `container ${container} (service ${service}) is unhealthy${output ? `: ${output.trim()}` : ""}`,
      { detail: output },
    );
  }
}

/** A dependency did not reach its condition (exited, failed, unhealthy). */
export class DependencyFailedError extends EngineError {
  constructor(
    readonly service: string,
    readonly dependency: string,
    reason: string,
  ) {
    super(
      EngineErrorCodes.dependencyFailed,
      `dependency ${dependency} of service ${service} failed: ${reason}`,
    );
  }
}

export class PortInUseError extends EngineError {
  constructor(
    readonly service: string,
    readonly port: string,
    options: { cause?: unknown } = {},
  ) {
    super(
      EngineErrorCodes.portInUse,
      `host port ${port} is already in use: stop what listens on it or change the ports of ${service}`,
      options,
    );
  }
}

export class ImageNotFoundError extends EngineError {
  constructor(
    readonly service: string,
    readonly image: string,
  ) {
    super(
      EngineErrorCodes.imageNotFound,
      `image ${image} of service ${service} is not present on the engine: pull or build it first`,
    );
  }
}

export class EngineUnreachableError extends EngineError {
  constructor(
    readonly host: string,
    options: { cause?: unknown } = {},
  ) {
    super(
      EngineErrorCodes.engineUnreachable,
      `cannot reach the Docker engine at ${host}: is dockerd running?`,
      options,
    );
  }
}

export class WaitTimeoutError extends EngineError {
  constructor(
    readonly service: string,
    timeoutMs: number,
    state: string,
  ) {
    super(
      EngineErrorCodes.waitTimeout,
      `service ${service} was not running and healthy after ${timeoutMs / 1000}s (${state})`,
    );
  }
}

export class AbortedError extends EngineError {
  constructor(operation: string) {
    super(EngineErrorCodes.aborted, `${operation} was interrupted`);
  }
}

/** The loader's: one class for a service the project lacks, wherever it is found missing. */
export { NoSuchServiceError } from "@berth/compose-schema";

/**
 * A service needs what docker compose gets from Docker Desktop's extensions and this engine lacks: a
 * model runner (`models`) or a provider plugin (`provider`). Raised before anything is created.
 */
export class UnsupportedServiceError extends EngineError {
  constructor(readonly issues: readonly { service: string; reason: string }[]) {
    super(
      EngineErrorCodes.unsupportedService,
      issues.map(({ service, reason }) => `service ${service} ${reason}`).join("; "),
    );
  }
}
