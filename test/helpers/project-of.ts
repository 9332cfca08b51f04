import type { Project, ServiceConfig } from "@berth/compose-schema";

/**
 * A project as the loader gives it, for unit tests that need no compose file: `services` and nothing
 * else, with what `extra` sets (name, working directory, networks …) over these defaults.
 */
export function projectOf(services: ServiceConfig[], extra: Partial<Project> = {}): Project {
  return {
    name: "demo",
    workingDir: "/p",
    configFiles: ["/p/compose.yaml"],
    profiles: [],
    environment: {},
    services: Object.fromEntries(services.map((s) => [s.name, s])),
    disabledServices: {},
    networks: {},
    volumes: {},
    secrets: {},
    configs: {},
    ...extra,
  };
}
