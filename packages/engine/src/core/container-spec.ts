import type {
  Project,
  ServiceConfig,
  ServiceFileReference,
  ServiceVolumeConfig,
} from "@berth/compose-schema";
import type Docker from "dockerode";
import { byteOrder } from "../base/byte-order.js";
import { COMPOSE_VERSION, Labels } from "../base/labels.js";
import { containerName } from "../base/names.js";
import { compact, durationToNs, environmentEntries, healthConfig } from "../base/spec-primitives.js";
import { CONFIG_DIGEST_LABEL, configDigest, serviceConfigHash } from "./config-hash.js";
import { fileObjectKey } from "./file-objects.js";

export interface ContainerSpecInput {
  project: Project;
  service: ServiceConfig;
  number: number;
  /** The image's ID, written to `com.docker.compose.image` as compose does; pending when pulled or built in the run. */
  imageId?: string | Pending;
  /**
   * ID of the first container of each service named by `network_mode`/`ipc`/`pid: service:x`; pending
   * when that container is created in the same run.
   */
  serviceContainers?: Record<string, string | Pending>;
  /** Host files Berth wrote for secrets and configs, by `fileObjectKey` (file-objects.ts). */
  generatedFiles?: Record<string, string>;
  /** Where `null` environment values not set in the project's environment come from. */
  env?: Record<string, string | undefined>;
  /** Anonymous volumes of the container being replaced, kept so a recreate does not lose their data. */
  inheritedVolumes?: { name: string; target: string }[];
}

export interface NetworkAttachment {
  /** Engine-side network name. */
  network: string;
  endpoint: Docker.EndpointSettings;
}

/** A value only the run knows: the ID of a container created in it, or of an image pulled or built in it. */
export type Pending =
  | { pending: "container"; service: string; name: string }
  | { pending: "image"; reference: string };

/** Where a pending value goes in the create options: `prefix` + the value, at `path`. */
export interface PendingField {
  path: readonly [string, string];
  prefix: string;
  value: Pending;
}

export interface ContainerSpec {
  name: string;
  /** What `createContainer` receives, with a placeholder's text (`pendingText`) at each pending field. */
  options: Docker.ContainerCreateOptions;
  /** Networks beyond the first, joined after create and before start (the create call takes one). */
  extraNetworks: NetworkAttachment[];
  /** Fields the executor fills in when their values exist; empty when the spec is complete. */
  pending: PendingField[];
}

function isPending(value: string | Pending | undefined): value is Pending {
  return typeof value === "object";
}

/** How a placeholder reads in a spec (dry runs, golden files); never sent to the engine. */
export function pendingText(value: Pending): string {
  return value.pending === "container" ? `<ID of ${value.name}>` : `<ID of image ${value.reference}>`;
}

/** The spec with each pending field replaced by its value (`values[i]` for `spec.pending[i]`). Pure. */
export function substitutePending(
  spec: ContainerSpec,
  values: readonly string[],
): Docker.ContainerCreateOptions {
  const options: Record<string, unknown> = { ...spec.options };
  spec.pending.forEach(({ path: [outer, inner], prefix }, i) => {
    options[outer] = { ...(options[outer] as object), [inner]: `${prefix}${values[i]}` };
  });
  return options as Docker.ContainerCreateOptions;
}

export function durationToSeconds(text: string): number {
  return Math.round(durationToNs(text) / 1e9);
}

/** Stop timeout in seconds: `-t` first, then the service's grace period; undefined lets the engine decide. */
export function stopTimeout(service: ServiceConfig | undefined, override?: number): number | undefined {
  if (override !== undefined) return override;
  return service?.stop_grace_period ? durationToSeconds(service.stop_grace_period) : undefined;
}

export function imageOf(project: Project, service: ServiceConfig): string {
  return service.image ?? `${project.name}-${service.name}`;
}

export function networkEngineName(project: Project, key: string): string {
  return project.networks[key]?.name ?? `${project.name}_${key}`;
}

export function volumeEngineName(project: Project, key: string): string {
  return project.volumes[key]?.name ?? `${project.name}_${key}`;
}

/** Compose's `com.docker.compose.depends_on` value: `db:service_healthy:false,cache:service_started:true`. */
export function dependsOnLabel(service: ServiceConfig): string {
  return Object.entries(service.depends_on ?? {})
    .sort(([a], [b]) => byteOrder(a, b))
    .map(([name, d]) => `${name}:${d.condition}:${!!d.restart}`)
    .join(",");
}

/** The labels every service container carries, merged over the service's own labels. */
export function containerLabels(input: ContainerSpecInput): Record<string, string> {
  const { project, service, number, imageId } = input;
  const image = isPending(imageId) ? pendingText(imageId) : (imageId ?? imageOf(project, service));
  return {
    ...service.labels,
    [Labels.project]: project.name,
    [Labels.service]: service.name,
    [Labels.containerNumber]: String(number),
    [Labels.oneoff]: "False",
    [Labels.configHash]: serviceConfigHash(service),
    [Labels.configFiles]: project.configFiles.join(","),
    [Labels.workingDir]: project.workingDir,
    [Labels.dependsOn]: dependsOnLabel(service),
    [Labels.image]: image,
    [Labels.version]: COMPOSE_VERSION,
    // Beside compose's labels: what the next `up` compares to name the part of the config that changed.
    [CONFIG_DIGEST_LABEL]: JSON.stringify(configDigest(service)),
  };
}

function ports(service: ServiceConfig) {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of service.ports ?? []) {
    const key = `${p.target}/${p.protocol ?? "tcp"}`;
    exposed[key] = {};
    bindings[key] ??= [];
    bindings[key].push({ HostIp: p.host_ip ?? "", HostPort: p.published ?? "" });
  }
  for (const e of service.expose ?? []) {
    const [range, protocol = "tcp"] = e.split("/");
    const [start, end = start] = range.split("-").map(Number);
    for (let port = start; port <= end; port++) exposed[`${port}/${protocol}`] = {};
  }
  return {
    exposed: Object.keys(exposed).length ? exposed : undefined,
    bindings: Object.keys(bindings).length ? bindings : undefined,
  };
}

function bindString(v: ServiceVolumeConfig): string {
  const opts = [v.read_only ? "ro" : "", v.bind?.selinux ?? "", v.bind?.propagation ?? ""].filter(Boolean);
  return `${v.source}:${v.target}${opts.length ? `:${opts.join(",")}` : ""}`;
}

/** The engine's Mount object; dockerode's type wrongly requires every option. */
interface Mount {
  Type: "bind" | "volume" | "tmpfs" | "npipe";
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  BindOptions?: { Propagation: string };
  VolumeOptions?: { NoCopy: boolean };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

function volumeMounts(project: Project, service: ServiceConfig) {
  const mounts: Mount[] = [];
  const binds: string[] = [];
  for (const v of service.volumes ?? []) {
    if (v.type === "bind" && v.bind?.create_host_path) {
      // Mounts refuse a missing host path; the legacy Binds create it, which the short syntax promises.
      binds.push(bindString(v));
    } else if (v.type === "bind" || v.type === "npipe") {
      mounts.push({
        Type: v.type,
        Source: v.source ?? "",
        Target: v.target,
        ReadOnly: v.read_only,
        BindOptions: v.bind?.propagation ? { Propagation: v.bind.propagation } : undefined,
      });
    } else if (v.type === "volume") {
      mounts.push({
        Type: "volume",
        // No source: an anonymous volume, named by the engine.
        Source: v.source ? volumeEngineName(project, v.source) : "",
        Target: v.target,
        ReadOnly: v.read_only,
        VolumeOptions: v.volume?.nocopy ? { NoCopy: true } : undefined,
      });
    } else if (v.type === "tmpfs") {
      mounts.push({
        Type: "tmpfs",
        Target: v.target,
        ReadOnly: v.read_only,
        TmpfsOptions: v.tmpfs ? compact({ SizeBytes: v.tmpfs.size, Mode: v.tmpfs.mode }) : undefined,
      });
    }
  }
  return { mounts, binds };
}

/** Like compose: the old container's anonymous volumes take the place of new anonymous ones at the same path. */
function inheritVolumes(
  mounts: Mount[],
  binds: string[],
  inherited: { name: string; target: string }[],
): void {
  for (const { name, target } of inherited) {
    const existing = mounts.find((m) => m.Target === target);
    if (existing?.Type === "volume" && !existing.Source) existing.Source = name;
    else if (!existing && !binds.some((b) => b.split(":")[1] === target)) {
      mounts.push({ Type: "volume", Source: name, Target: target });
    }
  }
}

/**
 * Secrets and configs are bind-mounted read-only files, as compose does without swarm: the source file
 * itself, or the file Berth wrote with the content, mode and owner asked for (file-objects.ts). Without
 * that file (a caller that wrote none), a `file:` source is mounted as it is.
 */
function fileObjectMounts(input: ContainerSpecInput): Mount[] {
  const { project, service } = input;
  const mounts: Mount[] = [];
  const add = (kind: "secrets" | "configs", ref: ServiceFileReference) => {
    const def = project[kind][ref.source];
    const key = fileObjectKey(kind, ref, def);
    const source = (key && input.generatedFiles?.[key]) ?? def?.file;
    // External secrets and configs only exist in swarm; there is nothing to mount.
    if (!source) return;
    const target =
      kind === "secrets"
        ? ref.target?.startsWith("/")
          ? ref.target
          : `/run/secrets/${ref.target ?? ref.source}`
        : ref.target?.startsWith("/")
          ? ref.target
          : `/${ref.target ?? ref.source}`;
    mounts.push({ Type: "bind", Source: source, Target: target, ReadOnly: true });
  };
  for (const ref of service.secrets ?? []) add("secrets", ref);
  for (const ref of service.configs ?? []) add("configs", ref);
  return mounts;
}

/** `service:x` → `container:<id of x>` (a placeholder while x's container is to be made); other values as written. */
function serviceMode(input: ContainerSpecInput, value: string | undefined): string | Pending | undefined {
  if (!value?.startsWith("service:")) return value;
  const target = value.slice("service:".length);
  const id =
    input.serviceContainers?.[target] ??
    containerName(input.project.name, target, 1, input.project.services[target]?.container_name);
  return isPending(id) ? id : `container:${id}`;
}

function volumesFrom(input: ContainerSpecInput): string[] | undefined {
  const { project } = input;
  return input.service.volumes_from?.map((from) => {
    if (from.startsWith("container:")) return from.slice("container:".length);
    const [svc, mode] = from.split(":");
    const name = containerName(project.name, svc, 1, project.services[svc]?.container_name);
    return mode ? `${name}:${mode}` : name;
  });
}

function links(input: ContainerSpecInput): string[] | undefined {
  const { project, service } = input;
  const out = (service.links ?? []).map((link) => {
    const [svc, alias = svc] = link.split(":");
    return `${containerName(project.name, svc, 1, project.services[svc]?.container_name)}:${alias}`;
  });
  out.push(...(service.external_links ?? []).map((l) => (l.includes(":") ? l : `${l}:${l}`)));
  return out.length ? out : undefined;
}

/** Aliases, as compose gives them: the container's name, the service's, then the network's own. */
function orderedNetworks(project: Project, service: ServiceConfig, name: string): NetworkAttachment[] {
  return networkEntries(project, service).map(([key, cfg]) => ({
    network: networkEngineName(project, key),
    endpoint: compact({
      Aliases: [name, service.name, ...(cfg?.aliases ?? [])],
      IPAMConfig:
        cfg?.ipv4_address || cfg?.ipv6_address || cfg?.link_local_ips
          ? compact({
              IPv4Address: cfg.ipv4_address,
              IPv6Address: cfg.ipv6_address,
              LinkLocalIPs: cfg.link_local_ips,
            })
          : undefined,
    }) as Docker.EndpointSettings,
  }));
}

/** The service's networks, highest `priority` first, then by name (compose's order). */
function networkEntries(project: Project, service: ServiceConfig) {
  if (service.network_mode) return [];
  const networks = service.networks ?? (project.networks.default ? { default: null } : {});
  return Object.entries(networks).sort(
    ([a, x], [b, y]) => (y?.priority ?? 0) - (x?.priority ?? 0) || byteOrder(a, b),
  );
}

function restartPolicy(service: ServiceConfig): Docker.HostRestartPolicy | undefined {
  if (service.restart) {
    const [name, retries] = service.restart.split(":");
    return { Name: name, MaximumRetryCount: retries ? Number(retries) : undefined };
  }
  const policy = service.deploy?.restart_policy;
  if (!policy?.condition) return undefined;
  const name =
    { any: "always", none: "no", "on-failure": "on-failure" }[policy.condition] ?? policy.condition;
  return { Name: name, MaximumRetryCount: policy.max_attempts };
}

function devices(service: ServiceConfig) {
  return service.devices?.map((d) => {
    const [host, container = host, perms = "rwm"] = d.split(":");
    return { PathOnHost: host, PathInContainer: container, CgroupPermissions: perms };
  });
}

function tmpfs(service: ServiceConfig): Record<string, string> | undefined {
  if (!service.tmpfs?.length) return undefined;
  return Object.fromEntries(
    service.tmpfs.map((t) => {
      const i = t.indexOf(":");
      return i < 0 ? [t, ""] : [t.slice(0, i), t.slice(i + 1)];
    }),
  );
}

function resources(service: ServiceConfig) {
  const limits = service.deploy?.resources?.limits;
  const reservations = service.deploy?.resources?.reservations;
  const cpus = service.cpus ?? (limits?.cpus !== undefined ? Number(limits.cpus) : undefined);
  const blkio = service.blkio_config;
  const rates = (list?: { path: string; rate: number }[]) =>
    list?.map((r) => ({ Path: r.path, Rate: r.rate }));
  return {
    Memory: service.mem_limit ?? limits?.memory,
    MemorySwap: service.memswap_limit,
    MemoryReservation: service.mem_reservation ?? reservations?.memory,
    MemorySwappiness: service.mem_swappiness,
    NanoCpus: cpus !== undefined ? Math.round(cpus * 1e9) : undefined,
    CpuShares: service.cpu_shares,
    CpuPeriod: service.cpu_period,
    CpuQuota: service.cpu_quota,
    CpuRealtimePeriod: service.cpu_rt_period,
    CpuRealtimeRuntime: service.cpu_rt_runtime,
    CpusetCpus: service.cpuset,
    CpuCount: service.cpu_count,
    CpuPercent: service.cpu_percent,
    PidsLimit: service.pids_limit ?? limits?.pids,
    OomKillDisable: service.oom_kill_disable,
    BlkioWeight: blkio?.weight,
    BlkioWeightDevice: blkio?.weight_device?.map((w) => ({ Path: w.path, Weight: w.weight })),
    BlkioDeviceReadBps: rates(blkio?.device_read_bps),
    BlkioDeviceReadIOps: rates(blkio?.device_read_iops),
    BlkioDeviceWriteBps: rates(blkio?.device_write_bps),
    BlkioDeviceWriteIOps: rates(blkio?.device_write_iops),
    DeviceRequests: reservations?.devices?.map((d) => ({
      Driver: d.driver,
      Count: d.count === "all" ? -1 : d.count,
      DeviceIDs: d.device_ids,
      Capabilities: [d.capabilities],
      Options: d.options,
    })),
  };
}

/** Everything the engine needs to create container number `number` of a service. Pure. */
export function containerSpec(input: ContainerSpecInput): ContainerSpec {
  const { project, service, number } = input;
  const name = containerName(project.name, service.name, number, service.container_name);
  const p = ports(service);
  const { mounts, binds } = volumeMounts(project, service);
  mounts.push(...fileObjectMounts(input));
  inheritVolumes(mounts, binds, input.inheritedVolumes ?? []);
  const networks = orderedNetworks(project, service, name);
  const [primary, ...extra] = networks;
  const pending: PendingField[] = [];
  if (isPending(input.imageId))
    pending.push({ path: ["Labels", Labels.image], prefix: "", value: input.imageId });
  // A placeholder's text stands in the options for dry runs; the executor overwrites it by its path.
  const mode = (key: string, value: string | undefined) => {
    const resolved = serviceMode(input, value);
    if (!isPending(resolved)) return resolved;
    pending.push({ path: ["HostConfig", key], prefix: "container:", value: resolved });
    return `container:${pendingText(resolved)}`;
  };
  const networkMode = mode("NetworkMode", service.network_mode) ?? primary?.network;

  const hostConfig: Docker.HostConfig = compact({
    NetworkMode: networkMode,
    PortBindings: p.bindings,
    Mounts: mounts.length ? (mounts.map((m) => compact(m)) as Docker.MountSettings[]) : undefined,
    Binds: binds.length ? binds : undefined,
    VolumesFrom: volumesFrom(input),
    VolumeDriver: service.volume_driver,
    Links: links(input),
    ExtraHosts: service.extra_hosts?.map((h) => {
      // `host=ip` (newer syntax) becomes the engine's `host:ip`.
      const eq = h.indexOf("=");
      return eq < 0 ? h : `${h.slice(0, eq)}:${h.slice(eq + 1)}`;
    }),
    Dns: service.dns,
    DnsSearch: service.dns_search,
    DnsOptions: service.dns_opt,
    RestartPolicy: restartPolicy(service),
    Init: service.init,
    CapAdd: service.cap_add,
    CapDrop: service.cap_drop,
    Privileged: service.privileged,
    ReadonlyRootfs: service.read_only,
    SecurityOpt: service.security_opt,
    Sysctls: service.sysctls,
    Ulimits: service.ulimits
      ? Object.entries(service.ulimits).map(([n, u]) => ({
          Name: n,
          Soft: u.single ?? u.soft,
          Hard: u.single ?? u.hard,
        }))
      : undefined,
    ShmSize: service.shm_size,
    Tmpfs: tmpfs(service),
    Devices: devices(service),
    DeviceCgroupRules: service.device_cgroup_rules,
    LogConfig: service.logging
      ? { Type: service.logging.driver ?? "", Config: service.logging.options ?? {} }
      : undefined,
    GroupAdd: service.group_add,
    OomScoreAdj: service.oom_score_adj,
    UsernsMode: service.userns_mode,
    PidMode: mode("PidMode", service.pid),
    IpcMode: mode("IpcMode", service.ipc),
    UTSMode: service.uts,
    CgroupParent: service.cgroup_parent,
    CgroupnsMode: service.cgroup,
    Runtime: service.runtime,
    Isolation: service.isolation,
    StorageOpt: service.storage_opt,
    ...compact(resources(service)),
  } as Docker.HostConfig);

  const options: Docker.ContainerCreateOptions = compact({
    name,
    platform: service.platform,
    Image: imageOf(project, service),
    Cmd: service.command ?? undefined,
    Entrypoint: service.entrypoint ?? undefined,
    Env: environmentEntries(input.service, input.project, input.env ?? process.env),
    WorkingDir: service.working_dir,
    User: service.user,
    Hostname: service.hostname,
    Domainname: service.domainname,
    // Before API 1.44 the engine takes the MAC address only here, not per network.
    MacAddress: service.mac_address ?? networkEntries(project, service)[0]?.[1]?.mac_address,
    ExposedPorts: p.exposed,
    Labels: containerLabels(input),
    Healthcheck: service.healthcheck && healthConfig(service.healthcheck, { startInterval: true }),
    StopSignal: service.stop_signal,
    StopTimeout: service.stop_grace_period ? durationToSeconds(service.stop_grace_period) : undefined,
    Tty: service.tty,
    OpenStdin: service.stdin_open,
    HostConfig: hostConfig,
    NetworkingConfig: primary ? { EndpointsConfig: { [primary.network]: primary.endpoint } } : undefined,
  });
  return { name, options, extraNetworks: extra, pending };
}
