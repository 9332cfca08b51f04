/**
 * The shape of compose-go v1.20's model as `docker compose config` prints it: which keys exist, in
 * which order (Go struct field order), and when a zero value is left out (`omitempty` unless the Go
 * field is a pointer). Keys compose's model does not have are not printed. Keys v1.20 does not know
 * (`models`, `provider`, `pre_start`, `build.no_cache_filter`) are placed as compose-go v2 places them.
 */

export type Spec =
  /** omitempty scalar: left out when false, 0, "" or absent */
  | "scalar"
  /** pointer: printed whenever present */
  | "ptr"
  /** a Go `Duration` value (not a pointer): omitempty, so "0s" is left out */
  | "duration"
  /** a byte count, printed as a quoted decimal string; omitempty */
  | "bytes"
  /** a command: printed as given, `[]` included; absent or null is left out */
  | "command"
  /** `nofile: 1024` or `{soft, hard}` */
  | "ulimit"
  /** arbitrary data (extensions): maps sorted */
  | "any"
  | { struct: Field[]; ptr?: boolean; extensions?: boolean }
  | { map: Spec; nullable?: boolean }
  | { list: Spec };

/** Key, shape, and the JSON key when Go's differs (fields without a json tag keep Go's capitalized name). */
export type Field = [string, Spec] | [string, Spec, string];

const strMap: Spec = { map: "scalar" };
const strList: Spec = { list: "scalar" };
const ulimits: Spec = { map: "ulimit" };

const fileRef: Spec = {
  struct: [
    ["source", "scalar"],
    ["target", "scalar"],
    ["uid", "scalar"],
    ["gid", "scalar"],
    ["mode", "ptr"],
  ],
  extensions: true,
};

const build: Spec = {
  struct: [
    ["context", "scalar"],
    ["dockerfile", "scalar"],
    ["dockerfile_inline", "scalar"],
    ["args", { map: "scalar", nullable: true }],
    ["ssh", strList],
    ["labels", strMap],
    ["cache_from", strList],
    ["cache_to", strList],
    ["no_cache", "scalar"],
    ["no_cache_filter", strList],
    ["additional_contexts", strMap],
    ["pull", "scalar"],
    ["extra_hosts", strList],
    ["isolation", "scalar"],
    ["network", "scalar"],
    ["target", "scalar"],
    ["secrets", { list: fileRef }],
    ["tags", strList],
    ["ulimits", ulimits],
    ["platforms", strList],
    ["privileged", "scalar"],
  ],
  ptr: true,
  extensions: true,
};

const throttle = (value: string, spec: Spec): Spec => ({
  list: {
    struct: [
      ["path", "scalar", "Path"],
      [value, spec, value[0]?.toUpperCase() + value.slice(1)],
    ],
    extensions: true,
  },
});

const blkio: Spec = {
  struct: [
    ["weight", "scalar"],
    ["weight_device", throttle("weight", "scalar")],
    ["device_read_bps", throttle("rate", "bytes")],
    ["device_read_iops", throttle("rate", "bytes")],
    ["device_write_bps", throttle("rate", "bytes")],
    ["device_write_iops", throttle("rate", "bytes")],
  ],
  ptr: true,
  extensions: true,
};

const updateConfig: Spec = {
  struct: [
    ["parallelism", "ptr"],
    ["delay", "duration"],
    ["failure_action", "scalar"],
    ["monitor", "duration"],
    ["max_failure_ratio", "scalar"],
    ["order", "scalar"],
  ],
  ptr: true,
  extensions: true,
};

const resource: Spec = {
  struct: [
    ["cpus", "scalar"],
    ["memory", "bytes"],
    ["pids", "scalar"],
    [
      "devices",
      {
        list: {
          struct: [
            ["capabilities", strList],
            ["driver", "scalar"],
            ["count", "scalar"],
            ["device_ids", strList],
            ["options", strMap],
          ],
          extensions: true,
        },
      },
    ],
    [
      "generic_resources",
      {
        list: {
          struct: [
            [
              "discrete_resource_spec",
              {
                struct: [
                  ["kind", "scalar"],
                  ["value", "scalar"],
                ],
                ptr: true,
                extensions: true,
              },
            ],
          ],
          extensions: true,
        },
      },
    ],
  ],
  ptr: true,
  extensions: true,
};

const deploy: Spec = {
  struct: [
    ["mode", "scalar"],
    ["replicas", "ptr"],
    ["labels", strMap],
    ["update_config", updateConfig],
    ["rollback_config", updateConfig],
    [
      "resources",
      {
        struct: [
          ["limits", resource],
          ["reservations", resource],
        ],
        extensions: true,
      },
    ],
    [
      "restart_policy",
      {
        struct: [
          ["condition", "scalar"],
          ["delay", "ptr"],
          ["max_attempts", "ptr"],
          ["window", "ptr"],
        ],
        ptr: true,
        extensions: true,
      },
    ],
    [
      "placement",
      {
        struct: [
          ["constraints", strList],
          ["preferences", { list: { struct: [["spread", "scalar"]], extensions: true } }],
          ["max_replicas_per_node", "scalar"],
        ],
        extensions: true,
      },
    ],
    ["endpoint_mode", "scalar"],
  ],
  ptr: true,
  extensions: true,
};

const healthcheck: Spec = {
  struct: [
    ["test", strList],
    ["timeout", "ptr"],
    ["interval", "ptr"],
    ["retries", "ptr"],
    ["start_period", "ptr"],
    ["start_interval", "ptr"],
    ["disable", "scalar"],
  ],
  ptr: true,
  extensions: true,
};

const port: Spec = {
  struct: [
    ["mode", "scalar"],
    ["host_ip", "scalar"],
    ["target", "scalar"],
    ["published", "scalar"],
    ["protocol", "scalar"],
  ],
  extensions: true,
};

const volumeMount: Spec = {
  struct: [
    ["type", "scalar"],
    ["source", "scalar"],
    ["target", "scalar"],
    ["read_only", "scalar"],
    ["consistency", "scalar"],
    [
      "bind",
      {
        struct: [
          ["selinux", "scalar"],
          ["propagation", "scalar"],
          ["create_host_path", "scalar"],
        ],
        ptr: true,
        extensions: true,
      },
    ],
    ["volume", { struct: [["nocopy", "scalar"]], ptr: true, extensions: true }],
    [
      "tmpfs",
      {
        struct: [
          ["size", "bytes"],
          ["mode", "scalar"],
        ],
        ptr: true,
        extensions: true,
      },
    ],
  ],
  extensions: true,
};

const serviceNetwork: Spec = {
  map: {
    struct: [
      ["priority", "scalar"],
      ["aliases", strList],
      ["ipv4_address", "scalar"],
      ["ipv6_address", "scalar"],
      ["link_local_ips", strList],
      ["mac_address", "scalar"],
    ],
    ptr: true,
    extensions: true,
  },
  nullable: true,
};

const dependsOn: Spec = {
  map: {
    struct: [
      ["condition", "scalar"],
      ["restart", "scalar"],
      ["required", "ptr"],
    ],
    extensions: true,
  },
};

const develop: Spec = {
  struct: [
    [
      "watch",
      {
        list: {
          struct: [
            ["path", "scalar"],
            ["action", "scalar"],
            ["target", "scalar"],
            ["ignore", strList],
          ],
        },
      },
    ],
  ],
  ptr: true,
};

/** compose-go v2's ServiceHook, as pre_start prints it. */
const hook: Spec = {
  struct: [
    ["command", "command"],
    ["image", "scalar"],
    ["user", "scalar"],
    ["privileged", "scalar"],
    ["working_dir", "scalar"],
    ["environment", { map: "scalar", nullable: true }],
    ["per_replica", "scalar"],
  ],
  extensions: true,
};

export const serviceSpec: Spec = {
  struct: [
    ["profiles", strList],
    ["annotations", strMap],
    ["attach", "ptr"],
    ["build", build],
    ["develop", develop],
    ["blkio_config", blkio],
    ["cap_add", strList],
    ["cap_drop", strList],
    ["cgroup_parent", "scalar"],
    ["cgroup", "scalar"],
    ["cpu_count", "scalar"],
    ["cpu_percent", "scalar"],
    ["cpu_period", "scalar"],
    ["cpu_quota", "scalar"],
    ["cpu_rt_period", "scalar"],
    ["cpu_rt_runtime", "scalar"],
    ["cpus", "scalar"],
    ["cpuset", "scalar"],
    ["cpu_shares", "scalar"],
    ["command", "command"],
    ["configs", { list: fileRef }],
    ["container_name", "scalar"],
    [
      "credential_spec",
      {
        struct: [
          ["config", "scalar"],
          ["file", "scalar"],
          ["registry", "scalar"],
        ],
        ptr: true,
        extensions: true,
      },
    ],
    ["depends_on", dependsOn],
    ["deploy", deploy],
    ["device_cgroup_rules", strList],
    ["devices", strList],
    ["dns", strList],
    ["dns_opt", strList],
    ["dns_search", strList],
    ["domainname", "scalar"],
    ["entrypoint", "command"],
    [
      "provider",
      {
        struct: [
          ["type", "scalar"],
          ["options", { map: "any" }],
        ],
        ptr: true,
        extensions: true,
      },
    ],
    ["environment", { map: "scalar", nullable: true }],
    ["env_file", strList],
    ["expose", strList],
    ["external_links", strList],
    ["extra_hosts", strList],
    ["group_add", strList],
    ["hostname", "scalar"],
    ["healthcheck", healthcheck],
    ["image", "scalar"],
    ["init", "ptr"],
    ["ipc", "scalar"],
    ["isolation", "scalar"],
    ["labels", strMap],
    ["links", strList],
    [
      "logging",
      {
        struct: [
          ["driver", "scalar"],
          ["options", strMap],
        ],
        ptr: true,
        extensions: true,
      },
    ],
    ["mem_limit", "bytes"],
    ["mem_reservation", "bytes"],
    ["memswap_limit", "bytes"],
    ["mem_swappiness", "bytes"],
    ["mac_address", "scalar"],
    [
      "models",
      {
        map: {
          struct: [
            ["endpoint_var", "scalar"],
            ["model_var", "scalar"],
          ],
          ptr: true,
          extensions: true,
        },
        nullable: true,
      },
    ],
    ["network_mode", "scalar"],
    ["networks", serviceNetwork],
    ["oom_kill_disable", "scalar"],
    ["oom_score_adj", "scalar"],
    ["pid", "scalar"],
    ["pids_limit", "scalar"],
    ["platform", "scalar"],
    ["ports", { list: port }],
    ["privileged", "scalar"],
    ["pull_policy", "scalar"],
    ["read_only", "scalar"],
    ["restart", "scalar"],
    ["runtime", "scalar"],
    ["secrets", { list: fileRef }],
    ["security_opt", strList],
    ["shm_size", "bytes"],
    ["stdin_open", "scalar"],
    ["stop_grace_period", "ptr"],
    ["stop_signal", "scalar"],
    ["sysctls", strMap],
    ["tmpfs", strList],
    ["tty", "scalar"],
    ["ulimits", ulimits],
    ["user", "scalar"],
    ["userns_mode", "scalar"],
    ["uts", "scalar"],
    ["volume_driver", "scalar"],
    ["volumes", { list: volumeMount }],
    ["volumes_from", strList],
    ["working_dir", "scalar"],
    ["pre_start", { list: hook }],
  ],
  extensions: true,
};

export const networkSpec: Spec = {
  struct: [
    ["name", "scalar"],
    ["driver", "scalar"],
    ["driver_opts", strMap],
    [
      "ipam",
      {
        struct: [
          ["driver", "scalar"],
          [
            "config",
            {
              list: {
                struct: [
                  ["subnet", "scalar"],
                  ["gateway", "scalar"],
                  ["ip_range", "scalar"],
                  ["aux_addresses", strMap],
                ],
                extensions: true,
              },
            },
          ],
        ],
        extensions: true,
      },
    ],
    ["external", "scalar"],
    ["internal", "scalar"],
    ["attachable", "scalar"],
    ["labels", strMap],
    ["enable_ipv6", "scalar"],
  ],
  extensions: true,
};

export const volumeSpec: Spec = {
  struct: [
    ["name", "scalar"],
    ["driver", "scalar"],
    ["driver_opts", strMap],
    ["external", "scalar"],
    ["labels", strMap],
  ],
  extensions: true,
};

export const fileObjectSpec: Spec = {
  struct: [
    ["name", "scalar"],
    ["file", "scalar"],
    ["environment", "scalar"],
    ["content", "scalar"],
    ["external", "scalar"],
    ["labels", strMap],
    ["driver", "scalar"],
    ["driver_opts", strMap],
    ["template_driver", "scalar"],
  ],
  extensions: true,
};

export const modelSpec: Spec = {
  struct: [
    ["name", "scalar"],
    ["model", "scalar"],
    ["context_size", "scalar"],
    ["runtime_flags", strList],
  ],
  extensions: true,
};
