import { BerthError } from "@berth/compose-schema";

/** Stable codes of `berth deploy` errors: tools and tests match on these, never on messages. */
export const SwarmErrorCodes = {
  unsupported: "SWARM_UNSUPPORTED",
  notInSwarm: "SWARM_NOT_ACTIVE",
  externalNotFound: "SWARM_EXTERNAL_NOT_FOUND",
  serviceFailed: "SWARM_SERVICE_FAILED",
  rolledBack: "SWARM_ROLLED_BACK",
  waitTimeout: "SWARM_WAIT_TIMEOUT",
  noSuchSwarmStack: "SWARM_NO_SUCH_STACK",
} as const;

export class SwarmError extends BerthError {}

/** One thing in the compose file Swarm cannot do; `service` is absent for top-level keys. */
export interface UnsupportedIssue {
  service?: string;
  key: string;
  message: string;
}

/** Everything Swarm cannot do, found before anything is created. */
export class SwarmUnsupportedError extends SwarmError {
  constructor(readonly issues: readonly UnsupportedIssue[]) {
    super(
      SwarmErrorCodes.unsupported,
      issues.length === 1
        ? describeIssue(issues[0] as UnsupportedIssue)
        : `${issues.length} settings cannot run on Swarm`,
      { detail: issues.length === 1 ? undefined : issues.map(describeIssue).join("\n") },
    );
  }
}

export function describeIssue(issue: UnsupportedIssue): string {
  const where = issue.service ? `service ${issue.service}: ${issue.key}` : issue.key;
  return `${where}: ${issue.message}`;
}

export class NotInSwarmError extends SwarmError {
  constructor() {
    super(
      SwarmErrorCodes.notInSwarm,
      "this engine is not a swarm manager: run `docker swarm init` (or join a swarm as a manager) first",
    );
  }
}

export class SwarmExternalNotFoundError extends SwarmError {
  constructor(
    readonly kind: "network" | "config" | "secret",
    readonly key: string,
    readonly engineName: string,
  ) {
    super(
      SwarmErrorCodes.externalNotFound,
      `external ${kind} ${key} (${engineName}) does not exist: create it first`,
    );
  }
}

/** A service's tasks fail, or its update was paused or rolled back. */
export class SwarmServiceFailedError extends SwarmError {
  constructor(
    readonly service: string,
    readonly reason: string,
    readonly rolledBack = false,
  ) {
    super(
      rolledBack ? SwarmErrorCodes.rolledBack : SwarmErrorCodes.serviceFailed,
      rolledBack
        ? `service ${service}: the update failed and was rolled back: ${reason}`
        : `service ${service} failed: ${reason}`,
    );
  }
}

export class SwarmWaitTimeoutError extends SwarmError {
  constructor(
    readonly services: readonly string[],
    readonly seconds: number,
  ) {
    super(SwarmErrorCodes.waitTimeout, `services not converged after ${seconds}s: ${services.join(", ")}`);
  }
}

export class NoSuchSwarmStackError extends SwarmError {
  constructor(readonly stackName: string) {
    super(SwarmErrorCodes.noSuchSwarmStack, `nothing found in stack ${stackName}`);
  }
}
