import { execFileSync } from "node:child_process";
import Docker from "dockerode";

let available: boolean | undefined;

/** True when a Docker engine answers. Cached for the process. */
export function dockerAvailable(): boolean {
  if (available === undefined) {
    try {
      execFileSync("docker", ["info", "--format", "{{.ServerVersion}}"], {
        stdio: "ignore",
        timeout: 10_000,
      });
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

/**
 * For `describe.skipIf(!hasDocker())`-style guards: without an engine, integration tests skip
 * locally but fail under CI, where a missing engine is an error, never a reason to skip.
 */
export function requireDocker(): boolean {
  const ok = dockerAvailable();
  if (!ok && process.env.CI === "true") {
    throw new Error("CI=true but no Docker engine answers: start dockerd (see .ci/run)");
  }
  return ok;
}

export const docker = new Docker();

/** A project name no other test (or parallel run) uses. */
export function uniqueProject(prefix: string): string {
  return `berth-test-${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

export const BUSYBOX = "berth-examples/busybox:latest";
