import type { Project, ServiceConfig } from "@berth/compose-schema";
import { down } from "@berth/engine";
import { BUSYBOX, docker } from "../helpers/docker.js";

/** Exits at once on TERM, so stopping takes no grace period. */
export const SLEEPER = ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"];

/** A project as the loader would give it: busybox services that sleep unless told otherwise. */
export function makeProject(
  name: string,
  services: Omit<ServiceConfig, "image">[],
  extra: Partial<Project> = {},
): Project {
  return {
    name,
    workingDir: "/tmp",
    configFiles: ["/tmp/compose.yaml"],
    profiles: [],
    environment: {},
    services: Object.fromEntries(
      services.map((s) => [s.name, { image: BUSYBOX, stop_grace_period: "1s", command: SLEEPER, ...s }]),
    ),
    disabledServices: {},
    networks: { default: { name: `${name}_default` } },
    volumes: {},
    secrets: {},
    configs: {},
    ...extra,
  };
}

/** Removes whatever a test left behind, even when it failed half-way. */
export async function cleanup(project: string): Promise<void> {
  await down(docker, project, { volumes: true, timeoutSeconds: 0 }).catch(() => undefined);
}
