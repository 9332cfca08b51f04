import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript build script without type declarations
import { generateValidatorModule } from "../scripts/validator-module.mjs";
import { ErrorCodes } from "./errors.js";
import { parseComposeFile } from "./parse.js";
import { OverrideTag, ResetTag } from "./tags.js";
import { validateComposeFile } from "./validate.js";

function check(yaml: string) {
  const file = parseComposeFile("/p/compose.yaml", yaml);
  return validateComposeFile(file, file.data);
}

/** The messages of a file's errors, without the "/p/compose.yaml:" prefix. */
function errorsOf(yaml: string): string[] {
  return check(yaml).errors.map((e) => e.message.replace("/p/compose.yaml:", ""));
}

function service(body: string): string {
  return `services:\n  web:\n    image: nginx\n${body.replace(/^/gm, "    ")}\n`;
}

describe("validateComposeFile: valid files", () => {
  it("accepts a file using every attribute of the specification", () => {
    const result = check(FULL);
    expect(result.errors.map((e) => e.message)).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it.each([
    [
      "durations",
      "stop_grace_period: 1m30s\nhealthcheck: { interval: 500ms, timeout: 2h46m40s, start_period: 1h }",
    ],
    ["byte sizes", "mem_limit: 1gb\nmem_reservation: 512m\nshm_size: 1073741824"],
    [
      "a port range and an IPv6 host address",
      'ports: ["9000-9001:9000-9001", "[::1]:80:80", "127.0.0.1:8080:80/udp"]',
    ],
    ["restart with a retry count", "restart: on-failure:5"],
    ["a periodic pull policy", "pull_policy: every_12h"],
    [
      "a device count written as a string",
      'deploy: { resources: { reservations: { devices: [{ count: "1" }] } } }',
    ],
    ["a daily pull policy", "pull_policy: daily"],
    [
      "a provider service",
      "provider: { type: awesomecloud, options: { type: mysql, size: 2, zones: [a, b] } }",
    ],
    ["a null command", "command:"],
    ["an empty service body", "x-note: keep"],
    ["long env_file syntax", "env_file: [{ path: .env, required: false }]"],
  ])("accepts %s", (_name, body) => {
    expect(errorsOf(service(body))).toEqual([]);
  });

  it("accepts an empty document and extension keys everywhere the specification allows them", () => {
    expect(errorsOf("{}")).toEqual([]);
    expect(
      errorsOf(
        "x-a: 1\nservices:\n  web:\n    image: a\n    x-b: 2\n    logging: { x-c: 3 }\nnetworks:\n  n:\n    x-d: 4",
      ),
    ).toEqual([]);
  });
});

describe("validateComposeFile: errors", () => {
  it("words the errors of the specification the way users read them", () => {
    expect(
      errorsOf(
        service(`restart: sometimes
ports:
  - "8080:80"
  - "80:80:tcp"
enviroment: { A: b }
mem_limit: 12q
cpus: [1]
healthcheck:
  interval: 5 seconds`),
      ),
    ).toEqual([
      '4:14: services.web.restart: "sometimes" is not one of "no", "always", "on-failure", "unless-stopped"',
      '7:9: services.web.ports[1]: "80:80:tcp" is not a valid port mapping',
      '8:5: services.web: unknown key "enviroment" (did you mean "environment"?)',
      '9:16: services.web.mem_limit: "12q" is not a valid byte size',
      "10:11: services.web.cpus: must be a number, got a list",
      '12:17: services.web.healthcheck.interval: "5 seconds" is not a valid duration',
    ]);
  });

  it("suggests the closest allowed value", () => {
    expect(errorsOf(service("cgroup: privat\ndepends_on:\n  db: { condition: service_health }"))).toEqual([
      '4:13: services.web.cgroup: "privat" is not one of "host", "private" (did you mean "private"?)',
      '6:24: services.web.depends_on.db.condition: "service_health" is not one of "service_started", "service_healthy", "service_completed_successfully" (did you mean "service_healthy"?)',
    ]);
  });

  it("says where a key that does not belong here goes", () => {
    expect(
      errorsOf(`services:
  web:
    image: a
    restart_policy: { condition: on-failure }
    memory: 512m
    dockerfile: Dockerfile.dev
    interval: 10s
ports: ["80:80"]
`),
    ).toEqual([
      '4:5: services.web: unknown key "restart_policy" (it belongs under "deploy")',
      '5:5: services.web: unknown key "memory" (it belongs under "deploy.resources.limits")',
      '6:5: services.web: unknown key "dockerfile" (it belongs under "build")',
      '7:5: services.web: unknown key "interval" (it belongs under "healthcheck")',
      '8:1: top level: unknown key "ports" (it belongs under "services.<service>")',
    ]);
  });

  it("gives unknown keys their own code and locates them at the key", () => {
    const [error] = check("services:\n  web:\n    image: a\n    enviroment: {}\n").errors;
    expect(error.code).toBe(ErrorCodes.unknownKey);
    expect(error.location).toEqual({ file: "/p/compose.yaml", line: 4, column: 5 });
    expect(check("services:\n  web:\n    image: 1\n").errors[0].code).toBe(ErrorCodes.schema);
  });

  it("collapses the branches of one-of-several syntaxes into one message per value", () => {
    expect(
      errorsOf(
        service(`ports: [70000, 1.5, { target: abc }, { target: 80, published: x }]
command: { a: 1 }
environment: "A=b"
build: [.]
depends_on:
  db: { condition: started }
  cache: {}
ulimits:
  nofile: { soft: 1 }
gpus: some`),
      ),
    ).toEqual([
      "4:13: services.web.ports[0]: 70000 is not a valid port mapping",
      "4:20: services.web.ports[1]: must be a port number, a string or a mapping, got 1.5",
      '4:35: services.web.ports[2].target: "abc" is not a valid port number',
      '4:67: services.web.ports[3].published: "x" is not a valid published port or range',
      "5:14: services.web.command: must be a string or a list of strings, got a mapping",
      '6:18: services.web.environment: must be a mapping or a list, got "A=b"',
      "7:12: services.web.build: must be a string or a mapping, got a list",
      '9:24: services.web.depends_on.db.condition: "started" is not one of "service_started", "service_healthy", "service_completed_successfully"',
      '10:14: services.web.depends_on.cache: missing required key "condition"',
      '12:15: services.web.ulimits.nofile: missing required key "hard"',
      '13:11: services.web.gpus: "some" is not a valid gpus value: use "all" or a list of device requests',
    ]);
  });

  it("reports wrong types with the value that was found", () => {
    expect(errorsOf(service('privileged: "yes"\nscale: many\nhostname: [a]\nnetworks: front'))).toEqual([
      '4:17: services.web.privileged: must be a boolean, got "yes"',
      '5:12: services.web.scale: must be an integer, got "many"',
      "6:15: services.web.hostname: must be a string, got a list",
      '7:15: services.web.networks: must be a list or a mapping, got "front"',
    ]);
  });

  it("checks names, enumerations, ranges and duplicates", () => {
    expect(
      errorsOf(`name: My_Project
services:
  "my web":
    image: a
    pull_policy: sometimes
    oom_score_adj: 2000
    dns_opt: [a, a]
`),
    ).toEqual([
      '1:7: name: "My_Project" is not a valid project name: use lowercase letters, digits, dashes and underscores, starting with a letter or digit',
      '3:3: services: "my web" is not a valid name: use letters, digits, dots, dashes and underscores',
      '5:18: services.my web.pull_policy: "sometimes" is not one of "always", "never", "missing", "build", "if_not_present", "daily", "weekly", "every_<duration>"',
      "6:20: services.my web.oom_score_adj: 2000 is greater than 1000",
      '7:18: services.my web.dns_opt[1]: "a" is listed twice (also at [0])',
    ]);
  });

  it("reports unknown top-level keys with a suggestion, and sorts every error by position", () => {
    expect(errorsOf("service:\n  web: {}\nnetworks:\n  front: []\nvolume: {}\n")).toEqual([
      '1:1: top level: unknown key "service" (did you mean "services"?)',
      "4:10: networks.front: must be a mapping or null, got a list",
      '5:1: top level: unknown key "volume" (did you mean "volumes"?)',
    ]);
  });
});

describe("validateComposeFile: formats", () => {
  it.each(["10s", "1m30s", "1h", "500ms", "2h46m40s", "1.5s", "0", "100us", "3µs"])(
    "accepts the duration %s",
    (d) => {
      expect(errorsOf(service(`stop_grace_period: "${d}"`))).toEqual([]);
    },
  );

  it.each(["5 seconds", "1d", "10", "s", "1m 30s", "-"])("rejects the duration %s", (d) => {
    expect(errorsOf(service(`stop_grace_period: "${d}"`))).toEqual([
      `4:24: services.web.stop_grace_period: ${JSON.stringify(d)} is not a valid duration`,
    ]);
  });

  it.each(["512m", "1gb", "1GB", "100", "1.5g", "2KiB", "10 MB"])("accepts the byte size %s", (size) => {
    expect(errorsOf(service(`mem_limit: "${size}"`))).toEqual([]);
  });

  it.each(["12q", "lots", "1..5g", "-1", "m"])("rejects the byte size %s", (size) => {
    expect(errorsOf(service(`mem_limit: "${size}"`))).toEqual([
      `4:16: services.web.mem_limit: ${JSON.stringify(size)} is not a valid byte size`,
    ]);
  });

  it.each([
    "80",
    "8080:80",
    "127.0.0.1:8080:80/udp",
    "9000-9001:9000-9001",
    "[::1]:80:80",
    "::1:6000:6000",
    "127.0.0.1::80",
    ":80",
    "3000-3005",
    "80/sctp",
  ])("accepts the port mapping %s", (port) => {
    expect(errorsOf(service(`ports: ["${port}"]`))).toEqual([]);
  });

  it.each(["80:80:tcp", "http", "80/tcpx", "localhost:80:80", "80:", "8080:80:90:100"])(
    "rejects the port mapping %s",
    (port) => {
      expect(errorsOf(service(`ports: ["${port}"]`))).toEqual([
        `4:13: services.web.ports[0]: ${JSON.stringify(port)} is not a valid port mapping`,
      ]);
    },
  );
});

describe("validateComposeFile: other sections", () => {
  it("checks includes, develop, deploy devices and top-level resources", () => {
    expect(
      errorsOf(`include:
  - env_file: .env
services:
  web:
    image: a
    develop:
      watch:
        - path: ./src
          action: copy
        - path: ./pkg
    deploy:
      resources:
        reservations:
          devices:
            - capabilities: [gpu]
              count: some
networks:
  front:
    ipam:
      config:
        - subnet: 10.0.0.0/24
          gatway: 10.0.0.1
volumes:
  data:
    external: "yes"
secrets:
  token:
configs:
  app:
    file: [a]
`),
    ).toEqual([
      '2:5: include[0]: missing required key "path"',
      '9:19: services.web.develop.watch[0].action: "copy" is not one of "rebuild", "sync", "restart", "sync+restart", "sync+exec"',
      '10:11: services.web.develop.watch[1]: missing required key "action"',
      '16:22: services.web.deploy.resources.reservations.devices[0].count: "some" is not a valid device count: use a number or "all"',
      '22:11: networks.front.ipam.config[0]: unknown key "gatway" (did you mean "gateway"?)',
      '25:15: volumes.data.external: must be a boolean or a mapping, got "yes"',
      "27:9: secrets.token: must be a mapping, got null",
      "30:11: configs.app.file: must be a string, got a list",
    ]);
  });

  it("names keys holding a slash or a tilde correctly", () => {
    expect(errorsOf(service('labels:\n  "com.example/a~b": [1]'))).toEqual([
      "5:26: services.web.labels.com.example/a~b: must be a string, a number, a boolean or null, got a list",
    ]);
  });
});

describe("validateComposeFile: merge tags and warnings", () => {
  it("accepts !reset anywhere and checks the value of !override", () => {
    expect(errorsOf(service("ports: !reset []\nhostname: !reset\ndepends_on:\n  db: !reset"))).toEqual([]);
    expect(errorsOf(service('ports: !override ["80:80:tcp"]'))).toEqual([
      '4:23: services.web.ports[0]: "80:80:tcp" is not a valid port mapping',
    ]);
  });

  it("handles tag instances given directly, as later stages may build them", () => {
    const file = parseComposeFile("/p/compose.yaml", "services:\n  web:\n    image: a\n");
    const data = { services: { web: { image: new ResetTag(), ports: new OverrideTag(["x"]) } } };
    expect(validateComposeFile(file, data).errors.map((e) => e.message)).toEqual([
      '/p/compose.yaml:3:5: services.web.ports[0]: "x" is not a valid port mapping',
    ]);
  });

  it("warns that a scale above 1 is deprecated, at its key", () => {
    const result = check("services:\n  a:\n    image: x\n    scale: 3\n  b:\n    image: x\n    scale: 1\n");
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual(["/p/compose.yaml:4:5: `scale` is deprecated; use deploy.replicas"]);
  });

  it("warns that version is obsolete, at its key", () => {
    const result = check('version: "3.8"\nservices: {}\n');
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      "/p/compose.yaml:1:1: `version` is obsolete and ignored; you can remove it",
    ]);
  });
});

describe("schema wording", () => {
  const schemaFile = fileURLToPath(new URL("./schema/compose-spec.schema.json", import.meta.url));
  const root = JSON.parse(readFileSync(schemaFile, "utf8"));

  /** Every schema node with its JSON pointer and the node holding it. */
  function* nodes(
    node: unknown,
    at = "#",
    parent?: Record<string, unknown>,
  ): Generator<[string, Record<string, unknown>, Record<string, unknown> | undefined]> {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const [i, n] of node.entries()) yield* nodes(n, `${at}/${i}`, parent);
      return;
    }
    const obj = node as Record<string, unknown>;
    yield [at, obj, parent];
    for (const [k, v] of Object.entries(obj)) if (typeof v === "object") yield* nodes(v, `${at}/${k}`, obj);
  }

  it("says what every one-of-several syntax expects", () => {
    const bare = [...nodes(root)].filter(([, n]) => n.anyOf && !n["x-expect"]).map(([at]) => at);
    expect(bare).toEqual([]);
  });

  it("words every pattern, on the node or on the syntax holding it", () => {
    const bare = [...nodes(root)]
      .filter(([, n, parent]) => typeof n.pattern === "string" && !n["x-error"] && !parent?.["x-error"])
      .map(([at]) => at);
    expect(bare).toEqual([]);
  });
});

describe("generated validator", () => {
  it("is up to date with the schema (run scripts/generate-validator.mjs after editing the schema)", () => {
    const schemaFile = fileURLToPath(new URL("./schema/compose-spec.schema.json", import.meta.url));
    const moduleFile = fileURLToPath(new URL("./schema/compose-spec.validator.ts", import.meta.url));
    const expected = generateValidatorModule(JSON.parse(readFileSync(schemaFile, "utf8")));
    expect(readFileSync(moduleFile, "utf8") === expected).toBe(true);
  });
});

const FULL = `name: full-example
x-common: &common
  restart: unless-stopped
include:
  - other.yaml
  - path: [a.yaml, b.yaml]
    env_file: .env.other
    project_directory: ./sub
services:
  web:
    <<: *common
    annotations: { com.example.a: "1" }
    attach: false
    build:
      context: ./app
      dockerfile: Dockerfile.dev
      dockerfile_inline: FROM scratch
      args: { VERSION: "1.0", EMPTY: null }
      ssh: [default]
      labels: [a=b]
      cache_from: [type=local,src=/tmp]
      cache_to: [type=local,dest=/tmp]
      no_cache: true
      additional_contexts: { base: ./base }
      network: host
      pull: true
      target: dev
      shm_size: 2gb
      extra_hosts: ["somehost:162.242.195.82"]
      isolation: default
      privileged: false
      secrets: [npm_token, { source: npm_token, target: /run/t }]
      tags: ["example/web:1"]
      ulimits: { nofile: { soft: 1024, hard: 2048 } }
      platforms: [linux/amd64]
      provenance: mode=max
      sbom: true
      x-build-ext: true
    blkio_config:
      weight: 300
      weight_device: [{ path: /dev/sda, weight: 400 }]
      device_read_bps: [{ path: /dev/sda, rate: 12mb }]
      device_write_iops: [{ path: /dev/sda, rate: 100 }]
    cap_add: [ALL]
    cap_drop: [NET_ADMIN]
    cgroup: private
    cgroup_parent: m-executor-abcd
    command: ["bundle", "exec"]
    configs: [my_config, { source: my_config, target: /c, uid: "103", gid: "103", mode: 0440 }]
    container_name: my-web-container
    cpu_count: 2
    cpu_percent: 50
    cpu_shares: 73
    cpu_period: 100000
    cpu_quota: 50000
    cpu_rt_runtime: 400ms
    cpu_rt_period: 1400us
    cpus: 1.5
    cpuset: 0-3
    credential_spec: { config: my_credential_spec }
    depends_on:
      db: { condition: service_healthy, restart: true }
      cache: { condition: service_started, required: false }
    deploy:
      mode: replicated
      replicas: 2
      endpoint_mode: vip
      labels: { com.example.description: "x" }
      update_config: { parallelism: 2, delay: 10s, failure_action: rollback, monitor: 1m, max_failure_ratio: 0.1, order: start-first }
      rollback_config: { parallelism: 1, delay: 0s, order: stop-first }
      resources:
        limits: { cpus: "0.50", memory: 50M, pids: 1 }
        reservations:
          cpus: 0.25
          memory: 20M
          devices:
            - { driver: nvidia, count: 1, capabilities: [gpu] }
            - { capabilities: [gpu], device_ids: ["0", "3"], count: all }
          generic_resources: [{ discrete_resource_spec: { kind: gpu, value: 2 } }]
      restart_policy: { condition: on-failure, delay: 5s, max_attempts: 3, window: 120s }
      placement:
        constraints: [node.role==manager]
        preferences: [{ spread: node.labels.zone }]
        max_replicas_per_node: 1
    develop:
      watch:
        - { path: ./src, action: sync, target: /app/src, ignore: [node_modules/] }
        - { path: package.json, action: rebuild }
    device_cgroup_rules: ["c 1:3 mr"]
    devices: ["/dev/ttyUSB0:/dev/ttyUSB0"]
    dns: 8.8.8.8
    dns_opt: [use-vc]
    dns_search: [dc1.example.com]
    domainname: foo.com
    entrypoint: /code/entrypoint.sh
    env_file:
      - ./a.env
      - path: ./b.env
        required: false
    environment: { RACK_ENV: development, SHOW: "true", COUNT: 1, FLAG: true, UNSET: null }
    expose: ["3000", 8000, "8080-8085/tcp"]
    external_links: [redis_1]
    extra_hosts: ["somehost=162.242.195.82", "otherhost:50.31.209.229"]
    gpus: all
    group_add: [mail, 42]
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost"]
      interval: 1m30s
      timeout: 10s
      retries: 3
      start_period: 40s
      start_interval: 5s
    hostname: web
    init: true
    ipc: shareable
    isolation: default
    labels: [com.example.a=b]
    links: ["db:database"]
    logging: { driver: syslog, options: { syslog-address: "tcp://192.168.0.42:123", max-file: 3 } }
    mac_address: 02:42:ac:11:65:43
    mem_limit: 512m
    mem_reservation: 1gb
    mem_swappiness: 60
    memswap_limit: -1
    networks:
      front:
        aliases: [alias1]
        ipv4_address: 172.16.238.10
        ipv6_address: 2001:3984:3989::10
        link_local_ips: [57.123.22.11]
        mac_address: 02:42:ac:11:65:44
        priority: 1000
        driver_opts: { com.docker.network.bridge.host_binding_ipv4: "127.0.0.1" }
      back:
    oom_kill_disable: true
    oom_score_adj: -500
    pid: host
    pids_limit: 10
    platform: linux/arm64/v8
    ports:
      - 3000
      - "3001-3005"
      - "8000:8000"
      - "9090-9091:8080-8081"
      - "49100:22"
      - "127.0.0.1:8001:8001"
      - "127.0.0.1:5000-5010:5000-5010"
      - "127.0.0.1::5000"
      - "6060:6060/udp"
      - "[::1]:6001:6001"
      - { target: 80, host_ip: 127.0.0.1, published: "8080", protocol: tcp, app_protocol: http, mode: host, name: web }
      - { target: 443, published: 8443-8453 }
    privileged: true
    profiles: [frontend, debug]
    pull_policy: missing
    read_only: true
    runtime: runc
    scale: 1
    secrets: [server-certificate]
    security_opt: ["label:user:USER"]
    shm_size: 64M
    stdin_open: true
    stop_grace_period: 1m30s
    stop_signal: SIGUSR1
    storage_opt: { size: 1G }
    sysctls: { net.core.somaxconn: 1024 }
    tmpfs: [/run, /tmp]
    tty: true
    ulimits: { nproc: 65535, nofile: { soft: 20000, hard: 40000 } }
    user: postgresql
    userns_mode: host
    uts: host
    volumes:
      - db-data:/data:ro
      - ./static:/static
      - type: volume
        source: db-data
        target: /data
        read_only: true
        volume: { nocopy: true, subpath: sub }
      - type: bind
        source: /var/run/postgres/postgres.sock
        target: /var/run/postgres/postgres.sock
        bind: { propagation: rshared, create_host_path: true, selinux: z }
      - type: tmpfs
        target: /cache
        tmpfs: { size: 10m, mode: 1777 }
    volumes_from: [other, "container:my_container:ro"]
    working_dir: /code
    x-custom: { anything: [1, 2] }
  db:
    image: postgres
    extends: { service: base, file: common.yaml }
    command: null
    depends_on: [cache]
    networks: [back]
    extra_hosts: { somehost: 162.242.195.82 }
    healthcheck: { test: "pg_isready", disable: false }
    restart: on-failure:3
  cache:
    image: redis
    extends: base2
    entrypoint: []
    pull_policy: if_not_present
    restart: "no"
    healthcheck: { disable: true }
networks:
  front:
    driver: bridge
    driver_opts: { com.docker.network.bridge.name: br0, mtu: 1500 }
    attachable: true
    enable_ipv6: true
    internal: false
    labels: { a: b }
    ipam:
      driver: default
      config:
        - subnet: 172.28.0.0/16
          ip_range: 172.28.5.0/24
          gateway: 172.28.5.254
          aux_addresses: { host1: 172.28.1.5 }
      options: { foo: bar }
  back:
  outside:
    external: true
    name: actual-name
volumes:
  db-data:
    driver: local
    driver_opts: { type: nfs, o: "addr=10.40.0.199,nolock,soft,rw", device: ":/docker/example" }
    labels: [a=b]
  empty:
  ext:
    external: true
    name: my-vol
secrets:
  server-certificate: { file: ./server.cert }
  npm_token: { environment: NPM_TOKEN }
  ext_secret: { external: true, name: real }
configs:
  my_config: { file: ./my_config.txt }
  inline: { content: "hello \${X}" }
  from_env: { environment: CONFIG_ENV }
  ext_config: { external: true }
x-other: 1
`;
