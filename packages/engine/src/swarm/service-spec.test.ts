import type { Project, ServiceConfig } from "@berth/compose-schema";
import { describe, expect, it } from "vitest";
import { projectOf } from "../../../../test/helpers/project-of.js";
import { SwarmStackLabels } from "./labels.js";
import { serviceSpec } from "./service-spec.js";

function project(services: ServiceConfig[], extra: Partial<Project> = {}): Project {
  return projectOf(services, {
    name: "shop",
    workingDir: "/srv",
    configFiles: ["/srv/compose.yaml"],
    environment: { FROM_ENV: "yes" },
    networks: { default: { name: "shop_default" }, back: { name: "shop_back" } },
    volumes: { data: { name: "shop_data", driver: "local", labels: { keep: "1" } } },
    ...extra,
  });
}

function spec(service: Partial<ServiceConfig>, extra: Partial<Project> = {}) {
  const s: ServiceConfig = { name: "api", image: "shop/api:1", ...service };
  const configs = { app: { id: "cfg1", name: "shop_app-0123abcd" } };
  const secrets = { token: { id: "sec1", name: "shop_token-89abcdef" } };
  return serviceSpec({ stack: "shop", project: project([s], extra), service: s, configs, secrets });
}

const container = (s: ReturnType<typeof spec>) => s.TaskTemplate.ContainerSpec;

describe("serviceSpec", () => {
  it("names the service in the stack and labels it as docker stack does", () => {
    const s = spec({ labels: { tier: "front" }, deploy: { labels: { team: "core" } } });
    expect(s.Name).toBe("shop_api");
    expect(s.Labels).toEqual({
      team: "core",
      [SwarmStackLabels.namespace]: "shop",
      [SwarmStackLabels.image]: "shop/api:1",
    });
    expect(container(s).Labels).toEqual({ tier: "front", [SwarmStackLabels.namespace]: "shop" });
  });

  it("maps command to Args and entrypoint to Command", () => {
    const s = spec({ command: ["serve", "--port", "80"], entrypoint: ["/bin/tini", "--"] });
    expect(container(s).Args).toEqual(["serve", "--port", "80"]);
    expect(container(s).Command).toEqual(["/bin/tini", "--"]);
  });

  it("sorts the environment and takes valueless entries from the project environment", () => {
    const s = spec({ environment: { B: "2", A: "1", FROM_ENV: null, MISSING: null } });
    expect(container(s).Env).toEqual(["A=1", "B=2", "FROM_ENV=yes"]);
  });

  it("maps the container settings", () => {
    const c = container(
      spec({
        working_dir: "/app",
        user: "1000:1000",
        hostname: "api-host",
        init: true,
        read_only: true,
        stop_signal: "SIGINT",
        stop_grace_period: "1m30s",
        cap_add: ["NET_ADMIN"],
        cap_drop: ["ALL"],
        sysctls: { "net.core.somaxconn": "1024" },
        ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: { single: 64 } },
        extra_hosts: ["db.local:10.0.0.5", "cache=10.0.0.6"],
        dns: ["1.1.1.1"],
        dns_search: ["corp"],
      }),
    );
    expect(c).toMatchObject({
      Dir: "/app",
      User: "1000:1000",
      Hostname: "api-host",
      Init: true,
      ReadOnly: true,
      StopSignal: "SIGINT",
      StopGracePeriod: 90e9,
      CapabilityAdd: ["NET_ADMIN"],
      CapabilityDrop: ["ALL"],
      Sysctls: { "net.core.somaxconn": "1024" },
      Ulimits: [
        { Name: "nofile", Soft: 1024, Hard: 2048 },
        { Name: "nproc", Soft: 64, Hard: 64 },
      ],
      Hosts: ["10.0.0.5 db.local", "10.0.0.6 cache"],
      DNSConfig: { Nameservers: ["1.1.1.1"], Search: ["corp"] },
    });
  });

  it("maps the healthcheck in nanoseconds, and disable to NONE", () => {
    const c = container(
      spec({
        healthcheck: { test: ["CMD", "true"], interval: "2s", timeout: "1s", retries: 3, start_period: "5s" },
      }),
    );
    expect(c.Healthcheck).toEqual({
      Test: ["CMD", "true"],
      Interval: 2e9,
      Timeout: 1e9,
      Retries: 3,
      StartPeriod: 5e9,
    });
    expect(container(spec({ healthcheck: { disable: true } })).Healthcheck).toEqual({ Test: ["NONE"] });
  });

  it("mounts named volumes with their driver and labels, binds, and tmpfs", () => {
    const c = container(
      spec({
        volumes: [
          { type: "volume", source: "data", target: "/data" },
          { type: "bind", source: "/srv/conf", target: "/conf", read_only: true },
          { type: "tmpfs", target: "/cache", tmpfs: { size: 1024 } },
        ],
        tmpfs: ["/run:size=64m"],
      }),
    );
    expect(c.Mounts).toEqual([
      {
        Type: "volume",
        Source: "shop_data",
        Target: "/data",
        VolumeOptions: {
          Labels: { keep: "1", [SwarmStackLabels.namespace]: "shop" },
          DriverConfig: { Name: "local" },
        },
      },
      { Type: "bind", Source: "/srv/conf", Target: "/conf", ReadOnly: true },
      { Type: "tmpfs", Target: "/cache", TmpfsOptions: { SizeBytes: 1024 } },
      { Type: "tmpfs", Target: "/run" },
    ]);
  });

  it("refers to configs and secrets by ID and content-hashed name", () => {
    const c = container(
      spec({
        configs: [{ source: "app", target: "/etc/app.conf", mode: 0o440 }],
        secrets: [{ source: "token" }],
      }),
    );
    expect(c.Configs).toEqual([
      {
        File: { Name: "/etc/app.conf", UID: "0", GID: "0", Mode: 0o440 },
        ConfigID: "cfg1",
        ConfigName: "shop_app-0123abcd",
      },
    ]);
    expect(c.Secrets).toEqual([
      {
        File: { Name: "token", UID: "0", GID: "0", Mode: 0o444 },
        SecretID: "sec1",
        SecretName: "shop_token-89abcdef",
      },
    ]);
  });

  it("attaches to the default network, or the named ones with the service name and aliases", () => {
    expect(spec({}).TaskTemplate.Networks).toEqual([{ Target: "shop_default", Aliases: ["api"] }]);
    expect(spec({ networks: { back: { aliases: ["backend"] } } }).TaskTemplate.Networks).toEqual([
      { Target: "shop_back", Aliases: ["api", "backend"] },
    ]);
  });

  it("maps every deploy mode", () => {
    expect(spec({}).Mode).toEqual({ Replicated: { Replicas: 1 } });
    expect(spec({ deploy: { replicas: 3 } }).Mode).toEqual({ Replicated: { Replicas: 3 } });
    expect(spec({ deploy: { mode: "global" } }).Mode).toEqual({ Global: {} });
    expect(spec({ deploy: { mode: "replicated-job", replicas: 2 } }).Mode).toEqual({
      ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 2 },
    });
    expect(spec({ deploy: { mode: "global-job" } }).Mode).toEqual({ GlobalJob: {} });
  });

  it("maps placement, resources and the restart policy", () => {
    const s = spec({
      deploy: {
        placement: {
          constraints: ["node.role==manager"],
          preferences: [{ spread: "node.labels.zone" }],
          max_replicas_per_node: 1,
        },
        resources: {
          limits: { cpus: "0.5", memory: 67108864, pids: 100 },
          reservations: { cpus: "0.25", memory: 1024 },
        },
        restart_policy: { condition: "on-failure", delay: "5s", max_attempts: 3, window: "1m" },
      },
    });
    expect(s.TaskTemplate.Placement).toEqual({
      Constraints: ["node.role==manager"],
      Preferences: [{ Spread: { SpreadDescriptor: "node.labels.zone" } }],
      MaxReplicas: 1,
    });
    expect(s.TaskTemplate.Resources).toEqual({
      Limits: { NanoCPUs: 5e8, MemoryBytes: 67108864, Pids: 100 },
      Reservations: { NanoCPUs: 2.5e8, MemoryBytes: 1024 },
    });
    expect(s.TaskTemplate.RestartPolicy).toEqual({
      Condition: "on-failure",
      Delay: 5e9,
      MaxAttempts: 3,
      Window: 60e9,
    });
  });

  it("converts restart: to a restart policy when deploy has none", () => {
    expect(spec({ restart: "always" }).TaskTemplate.RestartPolicy).toEqual({ Condition: "any" });
    expect(spec({ restart: "no" }).TaskTemplate.RestartPolicy).toEqual({ Condition: "none" });
    expect(spec({ restart: "on-failure:4" }).TaskTemplate.RestartPolicy).toEqual({
      Condition: "on-failure",
      MaxAttempts: 4,
    });
  });

  it("maps update and rollback configs, with a parallelism of one by default", () => {
    const s = spec({
      deploy: {
        update_config: {
          delay: "10s",
          order: "start-first",
          failure_action: "rollback",
          monitor: "30s",
          max_failure_ratio: 0.1,
        },
        rollback_config: { parallelism: 0 },
      },
    });
    expect(s.UpdateConfig).toEqual({
      Parallelism: 1,
      Delay: 10e9,
      Order: "start-first",
      FailureAction: "rollback",
      Monitor: 30e9,
      MaxFailureRatio: 0.1,
    });
    expect(s.RollbackConfig).toEqual({ Parallelism: 0 });
  });

  it("maps the endpoint mode and ports in ingress and host mode", () => {
    const s = spec({
      deploy: { endpoint_mode: "dnsrr" },
      ports: [
        { target: 80, published: "8080", mode: "host", protocol: "tcp" },
        { target: 53, protocol: "udp" },
      ],
    });
    expect(s.EndpointSpec).toEqual({
      Mode: "dnsrr",
      Ports: [
        { Protocol: "tcp", TargetPort: 80, PublishedPort: 8080, PublishMode: "host" },
        { Protocol: "udp", TargetPort: 53, PublishMode: "ingress" },
      ],
    });
    expect(spec({}).EndpointSpec).toEqual({ Mode: "vip" });
  });
});
