/**
 * The normalized project model. Field names and shapes follow the Compose Specification's long syntax,
 * as `docker compose config` prints them, so that `berth config` output can be diffed against compose's.
 * Every short syntax has been expanded by the normalizer; optional fields are simply absent.
 */

/**
 * `x-*` keys kept as they were written. Projects, services and top-level resources hold them in
 * `extensions`; nested objects (ports, volumes, service networks...) keep them inline.
 */
export type Extensions = Record<`x-${string}`, unknown>;

export interface Project {
  name: string;
  /** Absolute project directory (where relative paths were resolved from). */
  workingDir: string;
  /** Absolute paths of the compose files, in load order. */
  configFiles: string[];
  /** Profiles that were enabled when loading. */
  profiles: string[];
  /** Resolved variables (process env over .env files) used for interpolation and for `environment` entries without a value. */
  environment: Record<string, string>;
  services: Record<string, ServiceConfig>;
  /** Services defined in the files but not enabled: by the active profiles, or not among the services named on the command line (nor their dependencies). */
  disabledServices: Record<string, ServiceConfig>;
  networks: Record<string, NetworkConfig>;
  volumes: Record<string, VolumeConfig>;
  secrets: Record<string, FileObjectConfig>;
  configs: Record<string, FileObjectConfig>;
  /** Top-level `models:` the enabled services use; absent when there are none. */
  models?: Record<string, ModelConfig>;
  extensions?: Extensions;
}

export interface ServiceConfig {
  /** The service's key under `services:`. */
  name: string;
  annotations?: Record<string, string>;
  attach?: boolean;
  blkio_config?: BlkioConfig;
  build?: BuildConfig;
  cap_add?: string[];
  cap_drop?: string[];
  cgroup?: string;
  cgroup_parent?: string;
  command?: string[] | null;
  configs?: ServiceFileReference[];
  container_name?: string;
  cpu_count?: number;
  cpu_percent?: number;
  cpu_period?: number;
  cpu_quota?: number;
  cpu_rt_period?: number;
  cpu_rt_runtime?: number;
  cpus?: number;
  cpuset?: string;
  cpu_shares?: number;
  credential_spec?: { config?: string; file?: string; registry?: string };
  depends_on?: Record<string, ServiceDependency>;
  deploy?: DeployConfig;
  develop?: Record<string, unknown>;
  device_cgroup_rules?: string[];
  devices?: string[];
  dns?: string[];
  dns_opt?: string[];
  dns_search?: string[];
  domainname?: string;
  entrypoint?: string[] | null;
  /** `null` means "take the value from the environment when the container is created, if set". */
  environment?: Record<string, string | null>;
  /** Absolute paths. `loadProject` reads them into `environment` and drops this field, as compose's `config` does. */
  env_file?: string[];
  expose?: string[];
  external_links?: string[];
  extra_hosts?: string[];
  group_add?: string[];
  healthcheck?: HealthCheckConfig;
  hostname?: string;
  image?: string;
  init?: boolean;
  ipc?: string;
  isolation?: string;
  labels?: Record<string, string>;
  links?: string[];
  logging?: { driver?: string; options?: Record<string, string> };
  mac_address?: string;
  /** Models the service uses (keys of the top-level `models:`); `null`: default variable names. */
  models?: Record<string, ServiceModelConfig | null>;
  mem_limit?: number;
  mem_reservation?: number;
  mem_swappiness?: number;
  memswap_limit?: number;
  network_mode?: string;
  /** `null` value: attached with no per-network options. */
  networks?: Record<string, ServiceNetworkConfig | null>;
  oom_kill_disable?: boolean;
  oom_score_adj?: number;
  pid?: string;
  pids_limit?: number;
  platform?: string;
  ports?: ServicePortConfig[];
  /** Containers run to completion, in order, before the service's containers first start. */
  pre_start?: PreStartHook[];
  privileged?: boolean;
  profiles?: string[];
  /** The service is managed by an external provider plugin instead of a container. */
  provider?: ServiceProviderConfig;
  /** `if_not_present` is normalized to `missing`. */
  pull_policy?: "always" | "never" | "missing" | "build" | "if_not_present" | string;
  read_only?: boolean;
  restart?: string;
  runtime?: string;
  /** As written; a scale above 1 is also copied into `deploy.replicas`. `config` does not print it. */
  scale?: number;
  secrets?: ServiceFileReference[];
  security_opt?: string[];
  shm_size?: number;
  stdin_open?: boolean;
  /** Duration in compose's canonical form, e.g. "1m30s". */
  stop_grace_period?: string;
  stop_signal?: string;
  storage_opt?: Record<string, string>;
  sysctls?: Record<string, string>;
  tmpfs?: string[];
  tty?: boolean;
  ulimits?: Record<string, UlimitsConfig>;
  user?: string;
  userns_mode?: string;
  uts?: string;
  volume_driver?: string;
  volumes?: ServiceVolumeConfig[];
  volumes_from?: string[];
  working_dir?: string;
  extensions?: Extensions;
}

export interface BuildConfig {
  context: string;
  dockerfile?: string;
  dockerfile_inline?: string;
  args?: Record<string, string | null>;
  ssh?: string[];
  labels?: Record<string, string>;
  cache_from?: string[];
  cache_to?: string[];
  no_cache?: boolean;
  /** Build stages that do not use the build cache. */
  no_cache_filter?: string[];
  additional_contexts?: Record<string, string>;
  network?: string;
  pull?: boolean;
  target?: string;
  shm_size?: number;
  extra_hosts?: string[];
  isolation?: string;
  privileged?: boolean;
  secrets?: ServiceFileReference[];
  tags?: string[];
  ulimits?: Record<string, UlimitsConfig>;
  platforms?: string[];
}

export interface ServiceModelConfig {
  endpoint_var?: string;
  model_var?: string;
}

export interface ServiceProviderConfig {
  type: string;
  options?: Record<string, string | number | boolean | (string | number | boolean)[]>;
}

/** A `pre_start` hook: without `image`, it runs the service's image. */
export interface PreStartHook {
  command?: string[] | null;
  image?: string;
  user?: string;
  privileged?: boolean;
  working_dir?: string;
  environment?: Record<string, string | null>;
  /** Run once per replica instead of once for the service; docker compose does not support it yet. */
  per_replica?: boolean;
}

export interface BlkioConfig {
  weight?: number;
  weight_device?: { path: string; weight: number }[];
  device_read_bps?: { path: string; rate: number }[];
  device_read_iops?: { path: string; rate: number }[];
  device_write_bps?: { path: string; rate: number }[];
  device_write_iops?: { path: string; rate: number }[];
}

export interface ServiceDependency {
  condition: "service_started" | "service_healthy" | "service_completed_successfully";
  required: boolean;
  restart?: boolean;
}

export interface HealthCheckConfig {
  /** ["NONE"], ["CMD", ...] or ["CMD-SHELL", "..."]. */
  test?: string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
  start_interval?: string;
  disable?: boolean;
}

export interface ServicePortConfig {
  mode?: "ingress" | "host";
  host_ip?: string;
  target: number;
  /** A port or a range ("8080", "8000-8010"); absent means an ephemeral host port. */
  published?: string;
  protocol?: "tcp" | "udp" | "sctp" | string;
  name?: string;
  app_protocol?: string;
}

export interface ServiceVolumeConfig {
  type: "bind" | "volume" | "tmpfs" | "npipe" | "cluster";
  source?: string;
  target: string;
  read_only?: boolean;
  consistency?: string;
  bind?: { propagation?: string; create_host_path?: boolean; selinux?: "z" | "Z" };
  volume?: { nocopy?: boolean; subpath?: string };
  tmpfs?: { size?: number; mode?: number };
}

export interface ServiceNetworkConfig {
  aliases?: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  link_local_ips?: string[];
  mac_address?: string;
  priority?: number;
}

export interface ServiceFileReference {
  source: string;
  target?: string;
  uid?: string;
  gid?: string;
  mode?: number;
}

export interface UlimitsConfig {
  /** `nofile: 1024`: soft and hard limit alike. */
  single?: number;
  soft?: number;
  hard?: number;
}

export interface DeployConfig {
  mode?: "replicated" | "global" | "replicated-job" | "global-job" | string;
  replicas?: number;
  labels?: Record<string, string>;
  update_config?: UpdateConfig;
  rollback_config?: UpdateConfig;
  resources?: { limits?: Resource; reservations?: Resource };
  restart_policy?: { condition?: string; delay?: string; max_attempts?: number; window?: string };
  placement?: {
    constraints?: string[];
    preferences?: { spread: string }[];
    max_replicas_per_node?: number;
  };
  endpoint_mode?: "vip" | "dnsrr" | string;
}

export interface UpdateConfig {
  parallelism?: number;
  delay?: string;
  failure_action?: string;
  monitor?: string;
  max_failure_ratio?: number;
  order?: "start-first" | "stop-first" | string;
}

export interface Resource {
  /** As written, e.g. "0.5". */
  cpus?: string;
  memory?: number;
  pids?: number;
  devices?: {
    capabilities: string[];
    driver?: string;
    count?: number | "all";
    device_ids?: string[];
    options?: Record<string, string>;
  }[];
  generic_resources?: { discrete_resource_spec?: { kind: string; value: number } }[];
}

export interface NetworkConfig {
  /** Engine-side name: `project_key` unless `name:` was given or the network is external. */
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  ipam?: {
    driver?: string;
    config?: {
      subnet?: string;
      gateway?: string;
      ip_range?: string;
      aux_addresses?: Record<string, string>;
    }[];
    options?: Record<string, string>;
  };
  external?: boolean;
  internal?: boolean;
  attachable?: boolean;
  enable_ipv6?: boolean;
  labels?: Record<string, string>;
  extensions?: Extensions;
}

export interface VolumeConfig {
  /** Engine-side name: `project_key` unless `name:` was given or the volume is external. */
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  external?: boolean;
  labels?: Record<string, string>;
  extensions?: Extensions;
}

/** Top-level `secrets:` and `configs:` entries. Paths in `file` are absolute. */
export interface FileObjectConfig {
  name: string;
  file?: string;
  environment?: string;
  content?: string;
  external?: boolean;
  labels?: Record<string, string>;
  driver?: string;
  driver_opts?: Record<string, string>;
  template_driver?: string;
  extensions?: Extensions;
}

/** A top-level `models:` entry: a language model a model runner serves. */
export interface ModelConfig {
  name?: string;
  model: string;
  context_size?: number;
  runtime_flags?: string[];
  extensions?: Extensions;
}
