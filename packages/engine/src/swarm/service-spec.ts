import type { Project, ServiceConfig, ServiceFileReference, UpdateConfig } from "@berth/compose-schema";
import { compact, durationToNs, environmentEntries, healthConfig } from "../base/spec-primitives.js";
import { SwarmStackLabels, scoped, withNamespace } from "./labels.js";

/** The part of the Engine API's ServiceSpec (API 1.41) Berth writes. */
export interface SwarmServiceSpec {
  Name: string;
  Labels: Record<string, string>;
  TaskTemplate: TaskTemplate;
  Mode: SwarmMode;
  UpdateConfig?: SwarmUpdateConfig;
  RollbackConfig?: SwarmUpdateConfig;
  EndpointSpec: { Mode: string; Ports?: SwarmPort[] };
}

export type SwarmMode =
  | { Replicated: { Replicas: number } }
  | { Global: Record<string, never> }
  | { ReplicatedJob: { MaxConcurrent: number; TotalCompletions: number } }
  | { GlobalJob: Record<string, never> };

export interface TaskTemplate {
  ContainerSpec: Record<string, unknown>;
  Resources?: {
    Limits?: { NanoCPUs?: number; MemoryBytes?: number; Pids?: number };
    Reservations?: { NanoCPUs?: number; MemoryBytes?: number };
  };
  RestartPolicy?: { Condition?: string; Delay?: number; MaxAttempts?: number; Window?: number };
  Placement?: {
    Constraints?: string[];
    Preferences?: { Spread: { SpreadDescriptor: string } }[];
    MaxReplicas?: number;
  };
  Networks?: { Target: string; Aliases: string[] }[];
  ForceUpdate?: number;
}

export interface SwarmUpdateConfig {
  Parallelism: number;
  Delay?: number;
  FailureAction?: string;
  Monitor?: number;
  MaxFailureRatio?: number;
  Order?: string;
}

export interface SwarmPort {
  Protocol: string;
  TargetPort: number;
  PublishedPort?: number;
  PublishMode: "ingress" | "host";
}

/** A config or secret as the engine knows it. */
export interface ObjectRef {
  id: string;
  name: string;
}

export interface ServiceSpecInput {
  stack: string;
  project: Project;
  service: ServiceConfig;
  configs: Record<string, ObjectRef>;
  secrets: Record<string, ObjectRef>;
  /** The image to run, when it was resolved to a digest; the written one otherwise. */
  image?: string;
  /** Values of `environment` entries written without one (`FOO` alone), as compose takes them. */
  env?: Record<string, string | undefined>;
}

const ns = (d: string | undefined): number | undefined => (d === undefined ? undefined : durationToNs(d));

const nonEmpty = <T>(list: T[] | undefined): T[] | undefined => (list && list.length > 0 ? list : undefined);

/** Maps one compose service to the ServiceSpec `docker stack deploy` would send. Pure. */
export function serviceSpec(input: ServiceSpecInput): SwarmServiceSpec {
  const { stack, service } = input;
  const image = service.image ?? "";
  const deploy = service.deploy ?? {};
  const spec: SwarmServiceSpec = {
    Name: scoped(stack, service.name),
    Labels: { ...withNamespace(stack, deploy.labels), [SwarmStackLabels.image]: image },
    TaskTemplate: compact({
      ContainerSpec: containerSpec(input, input.image ?? image),
      Resources: resources(service),
      RestartPolicy: restartPolicy(service),
      Placement: placement(service),
      Networks: networks(input),
    }),
    Mode: mode(service),
    EndpointSpec: compact({ Mode: deploy.endpoint_mode ?? "vip", Ports: ports(service) }),
  };
  if (deploy.update_config) spec.UpdateConfig = updateConfig(deploy.update_config);
  if (deploy.rollback_config) spec.RollbackConfig = updateConfig(deploy.rollback_config);
  return spec;
}

function containerSpec(input: ServiceSpecInput, image: string): Record<string, unknown> {
  const { service, stack } = input;
  return compact({
    Image: image,
    Labels: withNamespace(stack, service.labels),
    // Compose's entrypoint is the engine's Command; compose's command is its Args.
    Command: nonEmpty(service.entrypoint ?? undefined),
    Args: nonEmpty(service.command ?? undefined),
    Hostname: service.hostname,
    // docker stack deploy sends the environment sorted.
    Env: nonEmpty(environmentEntries(service, input.project, input.env ?? {})?.sort()),
    Dir: service.working_dir,
    User: service.user,
    Groups: nonEmpty(service.group_add),
    Init: service.init,
    TTY: service.tty,
    OpenStdin: service.stdin_open,
    ReadOnly: service.read_only,
    Mounts: nonEmpty(mounts(input)),
    StopSignal: service.stop_signal,
    StopGracePeriod: ns(service.stop_grace_period),
    // Swarm on API 1.41 stores no start interval: sending one would read as a change on every deploy.
    Healthcheck: service.healthcheck && healthConfig(service.healthcheck, { startInterval: false }),
    Hosts: nonEmpty(service.extra_hosts?.map(hostEntry)),
    DNSConfig:
      service.dns || service.dns_search || service.dns_opt
        ? compact({ Nameservers: service.dns, Search: service.dns_search, Options: service.dns_opt })
        : undefined,
    Configs: nonEmpty(
      service.configs?.map((ref) => fileRef(ref, input.configs, "ConfigID", "ConfigName", ref.source)),
    ),
    Secrets: nonEmpty(
      service.secrets?.map((ref) => fileRef(ref, input.secrets, "SecretID", "SecretName", ref.source)),
    ),
    Sysctls: service.sysctls && Object.keys(service.sysctls).length > 0 ? service.sysctls : undefined,
    CapabilityAdd: nonEmpty(service.cap_add),
    CapabilityDrop: nonEmpty(service.cap_drop),
    Ulimits: service.ulimits
      ? Object.entries(service.ulimits)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([Name, u]) => ({ Name, Soft: u.single ?? u.soft ?? 0, Hard: u.single ?? u.hard ?? 0 }))
      : undefined,
    Isolation: service.isolation,
  });
}

/** Compose's `host:ip` (or `host=ip`) is the engine's `ip host` line for /etc/hosts. */
function hostEntry(entry: string): string {
  const at = entry.search(/[:=]/);
  return at < 0 ? entry : `${entry.slice(at + 1)} ${entry.slice(0, at)}`;
}

function fileRef(
  ref: ServiceFileReference,
  objects: Record<string, ObjectRef>,
  idKey: string,
  nameKey: string,
  defaultTarget: string,
): Record<string, unknown> {
  const object = objects[ref.source];
  // The caller resolves every object the file names before mapping; a missing one is a bug.
  if (!object) throw new RangeError(`unresolved object ${ref.source}`);
  return {
    File: {
      Name: ref.target ?? defaultTarget,
      UID: ref.uid ?? "0",
      GID: ref.gid ?? "0",
      Mode: ref.mode ?? 0o444,
    },
    [idKey]: object.id,
    [nameKey]: object.name,
  };
}

function mounts(input: ServiceSpecInput): Record<string, unknown>[] {
  const { service, project, stack } = input;
  const result: Record<string, unknown>[] = [];
  for (const v of service.volumes ?? []) {
    if (v.type === "volume") {
      const declared = v.source ? project.volumes[v.source] : undefined;
      result.push(
        compact({
          Type: "volume",
          Source: declared?.name ?? v.source,
          Target: v.target,
          ReadOnly: v.read_only,
          VolumeOptions:
            declared && !declared.external
              ? compact({
                  NoCopy: v.volume?.nocopy,
                  Labels: withNamespace(stack, declared.labels),
                  DriverConfig: declared.driver
                    ? compact({ Name: declared.driver, Options: declared.driver_opts })
                    : undefined,
                })
              : v.volume?.nocopy
                ? { NoCopy: true }
                : undefined,
        }),
      );
    } else if (v.type === "bind") {
      result.push(
        compact({
          Type: "bind",
          Source: v.source,
          Target: v.target,
          ReadOnly: v.read_only,
          BindOptions: v.bind?.propagation ? { Propagation: v.bind.propagation } : undefined,
        }),
      );
    } else if (v.type === "tmpfs") {
      result.push(
        compact({
          Type: "tmpfs",
          Target: v.target,
          ReadOnly: v.read_only,
          TmpfsOptions: tmpfsOptions(v.tmpfs),
        }),
      );
    }
  }
  // The service-level `tmpfs:` list ("/run" or "/run:size=64m"): Swarm has only tmpfs mounts.
  for (const entry of service.tmpfs ?? []) {
    const [target = entry] = entry.split(":");
    result.push({ Type: "tmpfs", Target: target });
  }
  return result;
}

function tmpfsOptions(
  t: { size?: number; mode?: number } | undefined,
): { SizeBytes?: number; Mode?: number } | undefined {
  if (!t || (t.size === undefined && t.mode === undefined)) return undefined;
  return compact({ SizeBytes: t.size, Mode: t.mode });
}

function networks(input: ServiceSpecInput): { Target: string; Aliases: string[] }[] {
  const { service, project, stack } = input;
  const attached = service.networks ?? { default: null };
  return Object.entries(attached)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, options]) => ({
      Target: networkName(project, stack, key),
      Aliases: [service.name, ...(options?.aliases ?? [])],
    }));
}

/** Engine name of a compose network key; `default` exists even when the file does not declare it. */
export function networkName(project: Project, stack: string, key: string): string {
  return project.networks[key]?.name ?? scoped(stack, key);
}

function mode(service: ServiceConfig): SwarmMode {
  const replicas = service.deploy?.replicas ?? 1;
  switch (service.deploy?.mode ?? "replicated") {
    case "global":
      return { Global: {} };
    case "replicated-job":
      return { ReplicatedJob: { MaxConcurrent: replicas, TotalCompletions: replicas } };
    case "global-job":
      return { GlobalJob: {} };
    default:
      return { Replicated: { Replicas: replicas } };
  }
}

function resources(service: ServiceConfig): TaskTemplate["Resources"] {
  const r = service.deploy?.resources;
  if (!r) return undefined;
  const cpus = (c: string | undefined) => (c === undefined ? undefined : Math.round(Number(c) * 1e9));
  const limits =
    r.limits && compact({ NanoCPUs: cpus(r.limits.cpus), MemoryBytes: r.limits.memory, Pids: r.limits.pids });
  const reservations =
    r.reservations && compact({ NanoCPUs: cpus(r.reservations.cpus), MemoryBytes: r.reservations.memory });
  return compact({ Limits: limits, Reservations: reservations });
}

/** `deploy.restart_policy`, else the service's `restart:` as `docker stack deploy` converts it. */
function restartPolicy(service: ServiceConfig): TaskTemplate["RestartPolicy"] {
  const p = service.deploy?.restart_policy;
  if (p) {
    return compact({
      Condition: p.condition,
      Delay: ns(p.delay),
      MaxAttempts: p.max_attempts,
      Window: ns(p.window),
    });
  }
  switch (service.restart) {
    case undefined:
      return undefined;
    case "no":
      return { Condition: "none" };
    case "always":
    case "unless-stopped":
      return { Condition: "any" };
    default: {
      // "on-failure" or "on-failure:N".
      const [, attempts] = service.restart.split(":");
      return compact({ Condition: "on-failure", MaxAttempts: attempts ? Number(attempts) : undefined });
    }
  }
}

function placement(service: ServiceConfig): TaskTemplate["Placement"] {
  const p = service.deploy?.placement;
  if (!p) return undefined;
  return compact({
    Constraints: nonEmpty(p.constraints),
    Preferences: nonEmpty(p.preferences?.map((pref) => ({ Spread: { SpreadDescriptor: pref.spread } }))),
    MaxReplicas: p.max_replicas_per_node,
  });
}

function updateConfig(u: UpdateConfig): SwarmUpdateConfig {
  // Without a parallelism the engine would update every task at once; compose's default is one.
  return compact({
    Parallelism: u.parallelism ?? 1,
    Delay: ns(u.delay),
    FailureAction: u.failure_action,
    Monitor: ns(u.monitor),
    MaxFailureRatio: u.max_failure_ratio,
    Order: u.order,
  });
}

function ports(service: ServiceConfig): SwarmPort[] | undefined {
  return nonEmpty(
    service.ports?.map((p) =>
      compact({
        Protocol: p.protocol ?? "tcp",
        TargetPort: p.target,
        PublishedPort: p.published === undefined ? undefined : Number(p.published),
        PublishMode: p.mode ?? "ingress",
      }),
    ),
  );
}
