import type { Project, ServiceConfig } from "@berth/compose-schema";
import { BUSYBOX } from "./docker.js";

/** Exits at once on TERM, so stopping takes no grace period. */
export const SLEEPER = ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"];

/**
 * A project as the loader would give it, for engine tests that need no compose file: busybox services
 * running `command` unless they set their own.
 */
export function makeProject(
  name: string,
  services: Omit<ServiceConfig, "image">[],
  extra: Partial<Project> = {},
  command: string[] = SLEEPER,
): Project {
  return {
    name,
    workingDir: "/tmp",
    configFiles: ["/tmp/compose.yaml"],
    profiles: [],
    environment: {},
    services: Object.fromEntries(
      services.map((s) => [s.name, { image: BUSYBOX, stop_grace_period: "1s", command, ...s }]),
    ),
    disabledServices: {},
    networks: { default: { name: `${name}_default` } },
    volumes: {},
    secrets: {},
    configs: {},
    ...extra,
  };
}
