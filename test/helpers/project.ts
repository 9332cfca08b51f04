import type { Project, ServiceConfig } from "@berth/compose-schema";
import { BUSYBOX } from "./docker.js";
import { projectOf } from "./project-of.js";

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
  return projectOf(
    services.map((s) => ({ image: BUSYBOX, stop_grace_period: "1s", command, ...s })),
    {
      name,
      workingDir: "/tmp",
      configFiles: ["/tmp/compose.yaml"],
      networks: { default: { name: `${name}_default` } },
      ...extra,
    },
  );
}
