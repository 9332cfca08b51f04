/**
 * Which services the active profiles enable.
 *
 * Like compose (and the spec), a service named on the command line is enabled whatever its profiles,
 * and its profiles become active, enabling the other services that share them.
 *
 * Deliberate difference: a required dependency of a named service (depends_on, links, volumes_from,
 * network_mode/ipc/pid `service:x`) is enabled too, transitively, where compose v2.23 fails with
 * "no such service: x". Dependencies of services enabled only by profiles are not pulled in, so that
 * `config` without named services lists exactly what compose lists.
 */
import { NoSuchServiceError } from "./errors.js";

type Service = Record<string, unknown>;

/** `--profile` flags, or else COMPOSE_PROFILES (comma-separated): the flags replace the variable. */
export function activeProfiles(cliProfiles: string[], env: Record<string, string | undefined>): string[] {
  const chosen = cliProfiles.length > 0 ? cliProfiles : (env.COMPOSE_PROFILES ?? "").split(",");
  return [...new Set(chosen.map((p) => p.trim()).filter((p) => p !== ""))];
}

export function applyProfiles(
  services: Record<string, Service>,
  opts: { profiles: string[]; requested?: string[] },
): { enabled: string[]; disabled: string[] } {
  const requested = opts.requested ?? [];
  for (const name of requested) {
    if (!Object.hasOwn(services, name)) throw new NoSuchServiceError(name);
  }
  const active = new Set(opts.profiles);
  for (const name of requested) for (const p of profilesOf(services[name])) active.add(p);
  const all = active.has("*");

  const enabled = new Set<string>();
  for (const [name, service] of Object.entries(services)) {
    const profiles = profilesOf(service);
    if (all || profiles.length === 0 || profiles.some((p) => active.has(p))) enabled.add(name);
  }
  const pending = [...requested];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    enabled.add(name);
    for (const dep of dependencies(services[name] ?? {})) {
      if (!enabled.has(dep) && Object.hasOwn(services, dep)) pending.push(dep);
    }
  }
  const names = Object.keys(services);
  return { enabled: names.filter((n) => enabled.has(n)), disabled: names.filter((n) => !enabled.has(n)) };
}

function profilesOf(service: Service | undefined): string[] {
  const p = service?.profiles;
  return Array.isArray(p) ? p.filter((x): x is string => typeof x === "string") : [];
}

/** Services that `service` needs to run. A `depends_on` entry with `required: false` is optional. */
function dependencies(service: Service): string[] {
  const deps: string[] = [];
  const dependsOn = service.depends_on;
  if (dependsOn && typeof dependsOn === "object" && !Array.isArray(dependsOn)) {
    for (const [name, dep] of Object.entries(dependsOn)) {
      if ((dep as { required?: unknown } | null)?.required !== false) deps.push(name);
    }
  }
  if (Array.isArray(service.links)) {
    for (const link of service.links) if (typeof link === "string") deps.push(link.split(":")[0]);
  }
  if (Array.isArray(service.volumes_from)) {
    for (const from of service.volumes_from) {
      // `container:x` names a container, not a service; `x:ro` a service with a mode.
      if (typeof from === "string" && !from.startsWith("container:")) deps.push(from.split(":")[0]);
    }
  }
  for (const key of ["network_mode", "ipc", "pid"]) {
    const value = service[key];
    if (typeof value === "string" && value.startsWith("service:")) deps.push(value.slice("service:".length));
  }
  return deps;
}
