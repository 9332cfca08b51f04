import {
  type HealthCheckConfig,
  type NetworkConfig,
  type Project,
  type ServiceConfig,
  parseDuration,
} from "@berth/compose-schema";

/**
 * The pieces of an Engine API spec that container specs (`container-spec.ts`) and Swarm service specs
 * (`swarm/service-spec.ts`) write the same way. Pure.
 */

/** Drops keys whose value is undefined, so specs compare and print without noise. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Nanoseconds of a compose duration ("1m30s"); the loader has validated it, so a bad one is a bug. */
export function durationToNs(text: string): number {
  const ns = parseDuration(text);
  if (ns === undefined) throw new RangeError(`invalid duration: ${text}`);
  return ns;
}

const optionalNs = (d: string | undefined) => (d === undefined ? undefined : durationToNs(d));

/**
 * `KEY=value` in the file's order. An entry written without a value (`FOO` alone) takes it as docker
 * compose does, from the project's environment (the process's over the .env files, resolved when the
 * file was loaded), then from `env`; without one anywhere it is left out.
 */
export function environmentEntries(
  service: ServiceConfig,
  project: Project,
  env: Record<string, string | undefined>,
): string[] | undefined {
  if (!service.environment) return undefined;
  const entries: string[] = [];
  for (const [key, value] of Object.entries(service.environment)) {
    const resolved = value ?? project.environment[key] ?? env[key];
    if (resolved !== undefined) entries.push(`${key}=${resolved}`);
  }
  return entries;
}

export interface HealthConfig {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
  StartInterval?: number;
}

/**
 * The engine's HealthConfig, durations in nanoseconds; `disable` is the test `NONE`. `startInterval`
 * false leaves `start_interval` out, for a spec the engine would store without it (Swarm, API 1.41).
 */
export function healthConfig(h: HealthCheckConfig, options: { startInterval: boolean }): HealthConfig {
  if (h.disable) return { Test: ["NONE"] };
  return compact({
    Test: h.test,
    Interval: optionalNs(h.interval),
    Timeout: optionalNs(h.timeout),
    Retries: h.retries,
    StartPeriod: optionalNs(h.start_period),
    StartInterval: options.startInterval ? optionalNs(h.start_interval) : undefined,
  });
}

/** A network's `ipam:` as the engine's NetworkCreate takes it. */
export function ipamSpec(ipam: NonNullable<NetworkConfig["ipam"]>) {
  return {
    Driver: ipam.driver ?? "default",
    Options: ipam.options,
    Config: (ipam.config ?? []).map((c) => ({
      Subnet: c.subnet,
      Gateway: c.gateway,
      IPRange: c.ip_range,
      AuxiliaryAddresses: c.aux_addresses,
    })),
  };
}
