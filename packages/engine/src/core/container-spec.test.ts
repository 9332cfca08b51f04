import type { Project, ServiceConfig } from "@berth/compose-schema";
import { describe, expect, it } from "vitest";
import { projectOf } from "../../../../test/helpers/project-of.js";
import { configDigest, serviceConfigHash } from "./config-hash.js";
import { containerSpec, dependsOnLabel, substitutePending } from "./container-spec.js";

function project(services: ServiceConfig[], extra: Partial<Project> = {}): Project {
  return projectOf(services, {
    name: "myapp",
    workingDir: "/src/myapp",
    configFiles: ["/src/myapp/compose.yaml", "/src/myapp/compose.override.yaml"],
    environment: { FROM_PROJECT: "p" },
    networks: { default: { name: "myapp_default" } },
    ...extra,
  });
}

function spec(service: ServiceConfig, extra: Partial<Project> = {}, number = 1) {
  const p = project([service], extra);
  return containerSpec({ project: p, service, number, imageId: "sha256:abc", env: { FROM_HOST: "h" } });
}

describe("containerSpec", () => {
  it("names and labels the container like compose", () => {
    const svc: ServiceConfig = {
      name: "web",
      image: "busybox",
      labels: { team: "a", "com.docker.compose.project": "spoofed" },
      depends_on: {
        db: { condition: "service_healthy", required: true, restart: true },
        cache: { condition: "service_started", required: true },
      },
    };
    const s = spec(svc, {}, 2);
    expect(s.name).toBe("myapp-web-2");
    expect(s.options.name).toBe("myapp-web-2");
    expect(s.options.Labels).toEqual({
      team: "a",
      "com.docker.compose.project": "myapp",
      "com.docker.compose.service": "web",
      "com.docker.compose.container-number": "2",
      "com.docker.compose.oneoff": "False",
      "com.docker.compose.config-hash": serviceConfigHash(svc),
      "com.docker.compose.project.config_files": "/src/myapp/compose.yaml,/src/myapp/compose.override.yaml",
      "com.docker.compose.project.working_dir": "/src/myapp",
      "com.docker.compose.depends_on": "cache:service_started:false,db:service_healthy:true",
      "com.docker.compose.image": "sha256:abc",
      "com.docker.compose.version": "2.23.3",
      "dev.berth.config-digest": JSON.stringify(configDigest(svc)),
    });
    expect(dependsOnLabel({ name: "x" })).toBe("");
    expect(spec({ name: "web", image: "b", container_name: "custom" }).name).toBe("custom");
  });

  it("maps the process: image, command, entrypoint, environment, user, tty", () => {
    const s = spec({
      name: "web",
      command: ["sh", "-c", "echo hi"],
      entrypoint: ["/init"],
      environment: { A: "1", FROM_PROJECT: null, FROM_HOST: null, UNSET: null, EMPTY: "" },
      working_dir: "/app",
      user: "1000:1000",
      hostname: "h",
      domainname: "example.com",
      tty: true,
      stdin_open: true,
      stop_signal: "SIGINT",
      stop_grace_period: "1m30s",
      platform: "linux/amd64",
    });
    expect(s.options).toMatchObject({
      Image: "myapp-web",
      Cmd: ["sh", "-c", "echo hi"],
      Entrypoint: ["/init"],
      Env: ["A=1", "FROM_PROJECT=p", "FROM_HOST=h", "EMPTY="],
      WorkingDir: "/app",
      User: "1000:1000",
      Hostname: "h",
      Domainname: "example.com",
      Tty: true,
      OpenStdin: true,
      StopSignal: "SIGINT",
      StopTimeout: 90,
      platform: "linux/amd64",
    });
    expect(spec({ name: "web", image: "b", command: null }).options.Cmd).toBeUndefined();
  });

  it("maps ports with ranges, host IPs and protocols, and expose", () => {
    const s = spec({
      name: "web",
      image: "b",
      ports: [
        { target: 80, published: "8080", protocol: "tcp" },
        { target: 80, published: "8081", host_ip: "127.0.0.1", protocol: "tcp" },
        { target: 53, published: "5353", protocol: "udp" },
        { target: 9000, published: "9000-9005" },
        { target: 3000 },
      ],
      expose: ["4000", "5000-5001/udp"],
    });
    expect(s.options.ExposedPorts).toEqual({
      "80/tcp": {},
      "53/udp": {},
      "9000/tcp": {},
      "3000/tcp": {},
      "4000/tcp": {},
      "5000/udp": {},
      "5001/udp": {},
    });
    expect(s.options.HostConfig?.PortBindings).toEqual({
      "80/tcp": [
        { HostIp: "", HostPort: "8080" },
        { HostIp: "127.0.0.1", HostPort: "8081" },
      ],
      "53/udp": [{ HostIp: "", HostPort: "5353" }],
      "9000/tcp": [{ HostIp: "", HostPort: "9000-9005" }],
      "3000/tcp": [{ HostIp: "", HostPort: "" }],
    });
  });

  it("maps volumes, tmpfs, secrets and configs to mounts", () => {
    const s = containerSpec({
      project: project([], {
        volumes: { data: { name: "myapp_data" }, shared: { name: "shared-ext", external: true } },
        secrets: {
          token: { name: "token", file: "/src/myapp/token.txt" },
          gen: { name: "gen", environment: "X" },
        },
        configs: { conf: { name: "conf", file: "/src/myapp/app.conf" } },
      }),
      service: {
        name: "web",
        image: "b",
        volumes: [
          { type: "volume", source: "data", target: "/data", volume: { nocopy: true } },
          { type: "volume", source: "shared", target: "/shared", read_only: true },
          { type: "volume", target: "/anon" },
          {
            type: "bind",
            source: "/src/myapp/site",
            target: "/site",
            read_only: true,
            bind: { create_host_path: true },
          },
          { type: "bind", source: "/etc/hosts", target: "/h", bind: { propagation: "rshared" } },
          { type: "tmpfs", target: "/cache", tmpfs: { size: 1024 } },
        ],
        secrets: [{ source: "token" }, { source: "gen", target: "other" }],
        configs: [{ source: "conf", target: "/etc/app.conf" }, { source: "conf" }],
        tmpfs: ["/run:size=10m", "/tmp"],
        volumes_from: ["db:ro", "container:legacy"],
      },
      number: 1,
      generatedFiles: { "secrets/gen": "/tmp/berth-myapp/secrets/gen" },
    });
    const hc = s.options.HostConfig!;
    expect(hc.Mounts).toEqual([
      { Type: "volume", Source: "myapp_data", Target: "/data", VolumeOptions: { NoCopy: true } },
      { Type: "volume", Source: "shared-ext", Target: "/shared", ReadOnly: true },
      { Type: "volume", Source: "", Target: "/anon" },
      { Type: "bind", Source: "/etc/hosts", Target: "/h", BindOptions: { Propagation: "rshared" } },
      { Type: "tmpfs", Target: "/cache", TmpfsOptions: { SizeBytes: 1024 } },
      { Type: "bind", Source: "/src/myapp/token.txt", Target: "/run/secrets/token", ReadOnly: true },
      { Type: "bind", Source: "/tmp/berth-myapp/secrets/gen", Target: "/run/secrets/other", ReadOnly: true },
      { Type: "bind", Source: "/src/myapp/app.conf", Target: "/etc/app.conf", ReadOnly: true },
      { Type: "bind", Source: "/src/myapp/app.conf", Target: "/conf", ReadOnly: true },
    ]);
    expect(hc.Binds).toEqual(["/src/myapp/site:/site:ro"]);
    expect(hc.Tmpfs).toEqual({ "/run": "size=10m", "/tmp": "" });
    expect(hc.VolumesFrom).toEqual(["myapp-db-1:ro", "legacy"]);
  });

  it("joins the highest-priority network at create time and the others after", () => {
    const s = spec(
      {
        name: "api",
        image: "b",
        networks: {
          back: { aliases: ["backend"], ipv4_address: "172.30.0.5", mac_address: "02:42:ac:11:00:99" },
          front: { priority: 10, mac_address: "02:42:ac:11:00:02" },
          zed: null,
        },
      },
      {
        networks: {
          back: { name: "myapp_back" },
          front: { name: "custom-front" },
          zed: { name: "myapp_zed" },
        },
      },
    );
    expect(s.options.HostConfig?.NetworkMode).toBe("custom-front");
    expect(s.options.MacAddress).toBe("02:42:ac:11:00:02");
    expect(s.options.NetworkingConfig).toEqual({
      EndpointsConfig: { "custom-front": { Aliases: ["myapp-api-1", "api"] } },
    });
    expect(s.extraNetworks).toEqual([
      {
        network: "myapp_back",
        endpoint: { Aliases: ["myapp-api-1", "api", "backend"], IPAMConfig: { IPv4Address: "172.30.0.5" } },
      },
      { network: "myapp_zed", endpoint: { Aliases: ["myapp-api-1", "api"] } },
    ]);
    expect(spec({ name: "x", image: "b" }).options.HostConfig?.NetworkMode).toBe("myapp_default");
  });

  it("resolves service: modes to the target's container and keeps other modes", () => {
    const p = project([{ name: "vpn", image: "b" }]);
    const svc: ServiceConfig = {
      name: "app",
      image: "b",
      network_mode: "service:vpn",
      ipc: "service:vpn",
      pid: "host",
    };
    const s = containerSpec({ project: p, service: svc, number: 1, serviceContainers: { vpn: "c0ffee" } });
    expect(s.options.HostConfig).toMatchObject({
      NetworkMode: "container:c0ffee",
      IpcMode: "container:c0ffee",
      PidMode: "host",
    });
    expect(s.options.NetworkingConfig).toBeUndefined();
    expect(s.extraNetworks).toEqual([]);
    expect(spec({ name: "h", image: "b", network_mode: "host" }).options.HostConfig?.NetworkMode).toBe(
      "host",
    );
  });

  it("fills in placeholders by their place only, never in what the user wrote", () => {
    const p = project([{ name: "vpn", image: "b" }]);
    const pending = { pending: "container", service: "vpn", name: "myapp-vpn-1" } as const;
    // A label whose value reads like a placeholder is the user's data and reaches the engine as written.
    const svc: ServiceConfig = {
      name: "app",
      image: "b",
      network_mode: "service:vpn",
      ipc: "service:vpn",
      labels: { note: "container:<ID of myapp-vpn-1>" },
    };
    const s = containerSpec({
      project: p,
      service: svc,
      number: 1,
      imageId: { pending: "image", reference: "b" },
      serviceContainers: { vpn: pending },
    });
    expect(s.options.HostConfig?.NetworkMode).toBe("container:<ID of myapp-vpn-1>");
    const options = substitutePending(
      s,
      s.pending.map((f) => (f.value.pending === "image" ? "sha256:b" : "c0ffee")),
    );
    expect(options.HostConfig).toMatchObject({
      NetworkMode: "container:c0ffee",
      IpcMode: "container:c0ffee",
    });
    expect(options.Labels).toMatchObject({
      note: "container:<ID of myapp-vpn-1>",
      "com.docker.compose.image": "sha256:b",
    });
    // The planned spec itself is left as it was: a dry run prints it.
    expect(s.options.Labels?.["com.docker.compose.image"]).toBe("<ID of image b>");
  });

  it("maps the healthcheck to nanoseconds, and disable to NONE", () => {
    const s = spec({
      name: "db",
      image: "b",
      healthcheck: {
        test: ["CMD", "true"],
        interval: "1s",
        timeout: "500ms",
        retries: 3,
        start_period: "1m",
      },
    });
    expect(s.options.Healthcheck).toEqual({
      Test: ["CMD", "true"],
      Interval: 1e9,
      Timeout: 5e8,
      Retries: 3,
      StartPeriod: 60e9,
    });
    expect(spec({ name: "db", image: "b", healthcheck: { disable: true } }).options.Healthcheck).toEqual({
      Test: ["NONE"],
    });
  });

  it("maps host settings, security and resources", () => {
    const s = spec({
      name: "w",
      image: "b",
      restart: "on-failure:3",
      init: true,
      cap_add: ["NET_ADMIN"],
      cap_drop: ["ALL"],
      privileged: false,
      read_only: true,
      security_opt: ["no-new-privileges:true"],
      sysctls: { "net.core.somaxconn": "1024" },
      ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: { single: 65535 } },
      shm_size: 67108864,
      devices: ["/dev/null:/dev/mynull:r", "/dev/zero"],
      extra_hosts: ["db.local:10.0.0.1", "other=10.0.0.2"],
      dns: ["8.8.8.8"],
      dns_search: ["example.com"],
      dns_opt: ["ndots:2"],
      logging: { driver: "json-file", options: { "max-size": "1m" } },
      mem_limit: 268435456,
      memswap_limit: 536870912,
      mem_reservation: 134217728,
      cpus: 0.5,
      cpu_shares: 512,
      pids_limit: 100,
      group_add: ["audio"],
      oom_score_adj: 100,
      userns_mode: "host",
      cgroup_parent: "/berth",
      links: ["db:database"],
    });
    expect(s.options.HostConfig).toMatchObject({
      RestartPolicy: { Name: "on-failure", MaximumRetryCount: 3 },
      Init: true,
      CapAdd: ["NET_ADMIN"],
      CapDrop: ["ALL"],
      Privileged: false,
      ReadonlyRootfs: true,
      SecurityOpt: ["no-new-privileges:true"],
      Sysctls: { "net.core.somaxconn": "1024" },
      Ulimits: [
        { Name: "nofile", Soft: 1024, Hard: 2048 },
        { Name: "nproc", Soft: 65535, Hard: 65535 },
      ],
      ShmSize: 67108864,
      Devices: [
        { PathOnHost: "/dev/null", PathInContainer: "/dev/mynull", CgroupPermissions: "r" },
        { PathOnHost: "/dev/zero", PathInContainer: "/dev/zero", CgroupPermissions: "rwm" },
      ],
      ExtraHosts: ["db.local:10.0.0.1", "other:10.0.0.2"],
      Dns: ["8.8.8.8"],
      DnsSearch: ["example.com"],
      DnsOptions: ["ndots:2"],
      LogConfig: { Type: "json-file", Config: { "max-size": "1m" } },
      Memory: 268435456,
      MemorySwap: 536870912,
      MemoryReservation: 134217728,
      NanoCpus: 5e8,
      CpuShares: 512,
      PidsLimit: 100,
      GroupAdd: ["audio"],
      OomScoreAdj: 100,
      UsernsMode: "host",
      CgroupParent: "/berth",
      Links: ["myapp-db-1:database"],
    });
  });

  it("takes deploy resources and restart policy when the service-level keys are absent", () => {
    const s = spec({
      name: "w",
      image: "b",
      deploy: {
        restart_policy: { condition: "any" },
        resources: {
          limits: { cpus: "1.5", memory: 1048576, pids: 50 },
          reservations: {
            memory: 524288,
            devices: [{ capabilities: ["gpu"], driver: "nvidia", count: "all" }],
          },
        },
      },
    });
    expect(s.options.HostConfig).toMatchObject({
      RestartPolicy: { Name: "always" },
      NanoCpus: 1.5e9,
      Memory: 1048576,
      PidsLimit: 50,
      MemoryReservation: 524288,
      DeviceRequests: [{ Driver: "nvidia", Count: -1, Capabilities: [["gpu"]] }],
    });
  });

  it("puts the replaced container's anonymous volumes back at their paths", () => {
    const s = containerSpec({
      project: project([]),
      service: {
        name: "db",
        image: "b",
        volumes: [
          { type: "volume", target: "/anon" },
          { type: "bind", source: "/h", target: "/bound", bind: { create_host_path: true } },
        ],
      },
      number: 1,
      inheritedVolumes: [
        { name: "v1", target: "/anon" },
        { name: "v2", target: "/from-image" },
        { name: "v3", target: "/bound" },
      ],
    });
    expect(s.options.HostConfig?.Mounts).toEqual([
      { Type: "volume", Source: "v1", Target: "/anon" },
      { Type: "volume", Source: "v2", Target: "/from-image" },
    ]);
  });

  it("rejects a duration the loader would not have let through", () => {
    expect(() => spec({ name: "w", image: "b", stop_grace_period: "ten seconds" })).toThrow(
      /invalid duration/,
    );
  });
});
