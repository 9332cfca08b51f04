import type { Project, ServiceConfig } from "@berth/compose-schema";
import { describe, expect, it } from "vitest";
import { observedContainer } from "../../../../test/helpers/observed.js";
import { projectOf } from "../../../../test/helpers/project-of.js";
import type { ObservedContainer, ObservedState } from "../base/observe.js";
import { CONFIG_DIGEST_LABEL, configDigest, serviceConfigHash } from "./config-hash.js";
import { type ContainerAction, planIsEmpty, planUp } from "./plan.js";

function project(services: ServiceConfig[], extra: Partial<Project> = {}): Project {
  return projectOf(services, {
    name: "myapp",
    workingDir: "/w",
    configFiles: [],
    networks: { default: { name: "myapp_default" } },
    ...extra,
  });
}

const web: ServiceConfig = {
  name: "web",
  image: "busybox",
  depends_on: { db: { condition: "service_started", required: true } },
};
const db: ServiceConfig = {
  name: "db",
  image: "busybox",
  volumes: [{ type: "volume", source: "data", target: "/d" }],
};
const base = project([web, db], { volumes: { data: { name: "myapp_data" } } });

const container = (svc: ServiceConfig, number: number, over: Partial<ObservedContainer> = {}) =>
  observedContainer("myapp", svc, number, over);

const defaultNetwork = {
  id: "n1",
  name: "myapp_default",
  driver: "bridge",
  internal: false,
  options: {},
  labels: { "com.docker.compose.project": "myapp", "com.docker.compose.network": "default" },
};
const dataVolume = {
  name: "myapp_data",
  driver: "local",
  options: {},
  labels: { "com.docker.compose.project": "myapp", "com.docker.compose.volume": "data" },
};

function observed(over: Partial<ObservedState> = {}): ObservedState {
  return {
    project: "myapp",
    containers: [container(web, 1), container(db, 1)],
    networks: [defaultNetwork],
    volumes: [dataVolume],
    images: { busybox: "sha256:img" },
    ...over,
  };
}

const types = (plan: ReturnType<typeof planUp>, service: string) =>
  plan.services.find((s) => s.service === service)?.actions.map((a) => a.type);

describe("planUp", () => {
  it("creates everything on an empty engine, dependencies first", () => {
    const plan = planUp(base, { project: "myapp", containers: [], networks: [], volumes: [], images: {} });
    expect(plan.networks.map((n) => n.config.name)).toEqual(["myapp_default"]);
    expect(plan.volumes.map((v) => v.config.name)).toEqual(["myapp_data"]);
    expect(plan.services.map((s) => s.service)).toEqual(["db", "web"]);
    expect(plan.services[0].actions).toMatchObject([
      { type: "create", service: "db", number: 1, reason: "no container" },
    ]);
    expect(planIsEmpty(plan)).toBe(false);
  });

  it("is empty when nothing changed", () => {
    const plan = planUp(base, observed());
    expect(planIsEmpty(plan)).toBe(true);
    expect(plan.warnings).toEqual([]);
  });

  it("recreates on config or image change, with the reason, and starts stopped containers", () => {
    const changed = project([{ ...web, environment: { A: "1" } }, db], { volumes: base.volumes });
    const plan = planUp(
      changed,
      observed({
        containers: [container(web, 1), container(db, 1, { state: "exited", imageId: "sha256:old" })],
      }),
    );
    const webAction = plan.services.find((s) => s.service === "web")?.actions[0];
    expect(webAction).toMatchObject({ type: "recreate", number: 1, reason: "config changed" });
    expect(plan.services.find((s) => s.service === "db")?.actions[0]).toMatchObject({
      reason: "image changed",
    });

    const stopped = planUp(
      base,
      observed({ containers: [container(web, 1), container(db, 1, { state: "exited" })] }),
    );
    expect(types(stopped, "db")).toEqual(["start"]);
  });

  it("starts a paused container, as docker compose does (the engine refuses: unpause it first)", () => {
    const plan = planUp(
      base,
      observed({ containers: [container(web, 1), container(db, 1, { state: "paused" })] }),
    );
    expect(types(plan, "db")).toEqual(["start"]);
    expect(types(plan, "web")).toEqual(["keep"]);
    expect(planIsEmpty(plan)).toBe(false);
    // create starts nothing, so it leaves a paused container as it is.
    const created = planUp(
      base,
      observed({ containers: [container(web, 1), container(db, 1, { state: "paused" })] }),
      { noStart: true },
    );
    expect(types(created, "db")).toEqual(["keep"]);
  });

  it("recreates a container an interrupted recreate left renamed aside, keeping the one named right", () => {
    const aside = container(web, 1, { id: "old", name: "0123456789ab_myapp-web-1" });
    const alone = planUp(base, observed({ containers: [aside, container(db, 1)] }));
    expect(alone.services.find((s) => s.service === "web")?.actions).toMatchObject([
      {
        type: "recreate",
        service: "web",
        number: 1,
        container: aside,
        reason: "left as 0123456789ab_myapp-web-1 by an interrupted recreate",
        inheritedVolumes: [],
      },
    ]);
    const both = planUp(base, observed({ containers: [aside, container(web, 1), container(db, 1)] }));
    expect(types(both, "web")).toEqual(["keep", "remove"]);
    expect(both.services.find((s) => s.service === "web")?.actions[1]).toMatchObject({ container: aside });
  });

  it("honours --force-recreate and --no-recreate", () => {
    expect(planUp(base, observed(), { forceRecreate: true }).services[0].actions[0]).toMatchObject({
      type: "recreate",
      reason: "--force-recreate",
    });
    const changed = project([{ ...web, environment: { A: "1" } }, db], { volumes: base.volumes });
    expect(types(planUp(changed, observed(), { noRecreate: true }), "web")).toEqual(["keep"]);
  });

  it("scales up with the next numbers and down from the highest", () => {
    const up = planUp(base, observed(), { scale: { web: 3 } });
    expect(up.services.find((s) => s.service === "web")?.actions).toMatchObject([
      { type: "keep" },
      { type: "create", service: "web", number: 2, reason: "scale up to 3" },
      { type: "create", service: "web", number: 3, reason: "scale up to 3" },
    ]);
    const three = [1, 2, 3].map((n) => container(web, n));
    const down = planUp(
      project([{ ...web, deploy: { replicas: 1 } }, db], { volumes: base.volumes }),
      observed({ containers: [...three, container(db, 1)] }),
    );
    const removed = down.services
      .find((s) => s.service === "web")
      ?.actions.filter((a) => a.type === "remove");
    expect(removed?.map((a) => ("container" in a ? a.container.number : 0))).toEqual([3, 2]);
    expect(
      types(planUp(project([{ ...web, scale: 2 }, db], { volumes: base.volumes }), observed()), "web"),
    ).toEqual(["keep", "create"]);
  });

  it("limits the plan to the named services and their dependencies", () => {
    const other: ServiceConfig = { name: "other", image: "busybox" };
    const p = project([web, db, other], { volumes: base.volumes });
    expect(planUp(p, observed(), { services: ["web"] }).services.map((s) => s.service)).toEqual([
      "db",
      "web",
    ]);
    expect(planUp(p, observed(), { services: ["web"], noDeps: true }).services.map((s) => s.service)).toEqual(
      ["web"],
    );
    expect(() => planUp(p, observed(), { services: ["nope"] })).toThrow(
      expect.objectContaining({ code: "NO_SUCH_SERVICE" }),
    );
  });

  it("warns about orphans, or removes them when asked; disabled services are not orphans", () => {
    const gone = container({ name: "old", image: "busybox" }, 1);
    const disabled = container({ name: "debug", image: "busybox" }, 1);
    const p = { ...base, disabledServices: { debug: { name: "debug", image: "busybox" } } };
    const state = observed({ containers: [...observed().containers, gone, disabled] });
    const warned = planUp(p, state);
    expect(warned.orphans).toEqual([]);
    expect(warned.warnings[0]).toMatch(/orphan containers \(myapp-old-1\).*--remove-orphans/);
    const removed = planUp(p, state, { removeOrphans: true });
    expect(removed.orphans.map((o) => o.container.name)).toEqual(["myapp-old-1"]);
    expect(removed.warnings).toEqual([]);
  });

  it("rejects a network or volume that exists with another config, saying how to fix it", () => {
    const p = project([{ name: "api", image: "busybox", networks: { back: null } }], {
      networks: { back: { name: "myapp_back", driver: "bridge" } },
    });
    const overlay = { ...defaultNetwork, name: "myapp_back", driver: "overlay" };
    expect(() => planUp(p, observed({ containers: [], networks: [overlay] }))).toThrow(
      expect.objectContaining({
        code: "RESOURCE_CONFLICT",
        message:
          "network myapp_back exists with driver overlay but the file says bridge: remove it with berth down or docker network rm myapp_back",
      }),
    );
    const optioned = project([db], {
      volumes: { data: { name: "myapp_data", driver_opts: { type: "tmpfs" } } },
    });
    expect(() => planUp(optioned, observed())).toThrow(
      /volume myapp_data exists with other options.*type=tmpfs/,
    );
  });

  it("requires external resources to exist and never creates them", () => {
    const p = project([{ name: "api", image: "busybox", networks: { shared: null } }], {
      networks: { shared: { name: "shared-net", external: true } },
    });
    expect(() => planUp(p, observed({ containers: [] }))).toThrow(
      expect.objectContaining({ code: "EXTERNAL_NOT_FOUND", message: expect.stringContaining("shared-net") }),
    );
    const found = { ...defaultNetwork, name: "shared-net", labels: {} };
    expect(planUp(p, observed({ containers: [], networks: [found] })).networks).toEqual([]);
  });

  it("recreates containers sharing the namespaces of a recreated one", () => {
    const vpn: ServiceConfig = { name: "vpn", image: "busybox" };
    const app: ServiceConfig = { name: "app", image: "busybox", network_mode: "service:vpn" };
    const other: ServiceConfig = { name: "other", image: "busybox" };
    const p = project([vpn, app, other]);
    const state = observed({ containers: [container(vpn, 1), container(app, 1), container(other, 1)] });
    expect(planIsEmpty(planUp(p, state))).toBe(true);
    const changed = project([{ ...vpn, environment: { A: "1" } }, app, other]);
    const plan = planUp(changed, state);
    expect(plan.services.find((s) => s.service === "app")?.actions[0]).toMatchObject({
      type: "recreate",
      reason: "vpn was recreated",
    });
    expect(types(plan, "other")).toEqual(["keep"]);
  });

  it("refuses replicas of a service with a fixed container_name", () => {
    const p = project([{ name: "one", image: "busybox", container_name: "only" }]);
    expect(() => planUp(p, observed({ containers: [] }), { scale: { one: 2 } })).toThrow(
      expect.objectContaining({
        code: "RESOURCE_CONFLICT",
        message: expect.stringContaining("container_name only"),
      }),
    );
  });

  it("restarts a running dependent whose recreated dependency says restart: true", () => {
    const api: ServiceConfig = {
      name: "api",
      image: "busybox",
      depends_on: { db: { condition: "service_started", required: true, restart: true } },
    };
    const changedDb = { ...db, environment: { A: "1" } };
    const p = project([api, changedDb, web], { volumes: base.volumes });
    const state = observed({ containers: [container(api, 1), container(db, 1), container(web, 1)] });
    const plan = planUp(p, state);
    expect(plan.services.find((s) => s.service === "api")?.actions[0]).toMatchObject({
      type: "restart",
      reason: "db was recreated",
    });
    expect(types(plan, "web")).toEqual(["keep"]);
  });

  it("with noStart (create) leaves stopped containers as they are and restarts nothing", () => {
    const api: ServiceConfig = {
      name: "api",
      image: "busybox",
      depends_on: { db: { condition: "service_started", required: true, restart: true } },
    };
    const changedDb = { ...db, environment: { A: "1" } };
    const p = project([api, changedDb, web], { volumes: base.volumes });
    const state = observed({
      containers: [container(api, 1), container(db, 1), container(web, 1, { state: "exited" })],
    });
    // Without noStart the same state starts web and restarts api: the option is what changes it.
    const started = planUp(p, state);
    expect(types(started, "web")).toEqual(["start"]);
    expect(types(started, "api")).toEqual(["restart"]);
    const created = planUp(p, state, { noStart: true, scale: { web: 2 } });
    expect(types(created, "db")).toEqual(["recreate"]);
    expect(types(created, "api")).toEqual(["keep"]);
    expect(types(created, "web")).toEqual(["keep", "create"]);
    expect(created.services.find((s) => s.service === "web")?.actions[0]).toMatchObject({ shown: "Created" });
    expect(created.start).toBe(false);
    expect(started.start).toBe(true);
  });

  it("carries the old container's anonymous volumes over to its replacement, not the named ones", () => {
    const changed = project([web, { ...db, environment: { A: "1" } }], { volumes: base.volumes });
    const volumes = [
      { name: "myapp_data", target: "/d" },
      { name: "3f2a9c", target: "/var/lib/cache" },
    ];
    const plan = planUp(
      changed,
      observed({ containers: [container(web, 1), container(db, 1, { volumes })] }),
    );
    expect(plan.services.find((s) => s.service === "db")?.actions[0]).toMatchObject({
      type: "recreate",
      inheritedVolumes: [{ name: "3f2a9c", target: "/var/lib/cache" }],
    });
    const stopped = planUp(
      base,
      observed({ containers: [container(web, 1), container(db, 1, { state: "exited", volumes })] }),
    );
    expect(stopped.services.find((s) => s.service === "db")?.actions[0]).toMatchObject({
      type: "start",
      reason: "exited",
      replaceIfStale: {
        reason: "the engine crashed while starting it",
        inheritedVolumes: [{ name: "3f2a9c", target: "/var/lib/cache" }],
      },
    });
  });

  it("says which word progress shows for a kept container", () => {
    const plan = planUp(base, observed({ containers: [container(web, 1), container(db, 1)] }));
    expect(plan.services.map((s) => s.actions[0])).toMatchObject([
      { shown: "Running" },
      { shown: "Running" },
    ]);
  });

  it("says what each service waits for, among the services in the plan", () => {
    const plan = planUp(base, observed());
    expect(plan.services.map((s) => [s.service, s.after.map((d) => `${d.on}:${d.condition}`)])).toEqual([
      ["db", []],
      ["web", ["db:service_started"]],
    ]);
    const alone = planUp(base, observed(), { services: ["web"], noDeps: true });
    expect(alone.services[0].after).toEqual([]);
  });

  it("gives each container to make its whole create spec, labels included", () => {
    const plan = planUp(base, observed({ containers: [container(db, 1)] }));
    const [create] = plan.services[1].actions;
    expect(create.type === "create" && create.spec).toMatchObject({
      name: "myapp-web-1",
      options: {
        name: "myapp-web-1",
        Image: "busybox",
        Labels: {
          "com.docker.compose.image": "sha256:img",
          "com.docker.compose.container-number": "1",
          "com.docker.compose.config-hash": serviceConfigHash(web),
          [CONFIG_DIGEST_LABEL]: JSON.stringify(configDigest(web)),
        },
      },
      pending: [],
    });
  });

  it("leaves what only the run knows as placeholders: an image to pull, a container it creates", () => {
    const vpn: ServiceConfig = { name: "vpn", image: "busybox" };
    const app: ServiceConfig = { name: "app", image: "busybox", network_mode: "service:vpn" };
    const p = project([vpn, app]);
    const fresh = planUp(p, { project: "myapp", containers: [], networks: [], volumes: [], images: {} });
    const spec = (plan: ReturnType<typeof planUp>, a: ContainerAction | undefined) =>
      a && (a.type === "create" || a.type === "recreate") ? a.spec : undefined;
    const made = spec(fresh, fresh.services[1].actions[0]);
    expect(made?.options.HostConfig?.NetworkMode).toBe("container:<ID of myapp-vpn-1>");
    expect(made?.options.Labels?.["com.docker.compose.image"]).toBe("<ID of image busybox>");
    expect(made?.pending).toEqual([
      {
        path: ["Labels", "com.docker.compose.image"],
        prefix: "",
        value: { pending: "image", reference: "busybox" },
      },
      {
        path: ["HostConfig", "NetworkMode"],
        prefix: "container:",
        value: { pending: "container", service: "vpn", name: "myapp-vpn-1" },
      },
    ]);
    // A kept container's ID is known: the spec is complete.
    const state = observed({ containers: [container(vpn, 1, { id: "c0ffee" })] });
    const kept = planUp(p, state);
    expect(spec(kept, kept.services[1].actions[0])?.options.HostConfig?.NetworkMode).toBe("container:c0ffee");
    expect(spec(kept, kept.services[1].actions[0])?.pending).toEqual([]);
  });

  it("mounts the carried-over anonymous volumes in the replacement's spec", () => {
    const cache: ServiceConfig = { ...db, volumes: [{ type: "volume", target: "/var/lib/cache" }] };
    const changed = project([{ ...cache, environment: { A: "1" } }]);
    const volumes = [{ name: "3f2a9c", target: "/var/lib/cache" }];
    const plan = planUp(changed, observed({ containers: [container(cache, 1, { volumes })] }));
    const [action] = plan.services[0].actions;
    expect(action.type === "recreate" && action.spec.options.HostConfig?.Mounts).toEqual([
      { Type: "volume", Source: "3f2a9c", Target: "/var/lib/cache" },
    ]);
  });

  it("gives each network and volume to create its whole create body, labels, driver and IPAM included", () => {
    const p = project([web, db], {
      networks: {
        default: {
          name: "myapp_default",
          driver: "bridge",
          driver_opts: { "com.docker.network.bridge.name": "br-myapp" },
          labels: { team: "a" },
          internal: true,
          ipam: { config: [{ subnet: "10.9.0.0/16" }] },
        },
      },
      volumes: { data: { name: "myapp_data", driver_opts: { type: "tmpfs" }, labels: { keep: "yes" } } },
    });
    const plan = planUp(p, observed({ containers: [], networks: [], volumes: [] }));
    expect(plan.networks.map((n) => n.spec)).toEqual([
      {
        Name: "myapp_default",
        Driver: "bridge",
        Options: { "com.docker.network.bridge.name": "br-myapp" },
        Internal: true,
        Attachable: undefined,
        EnableIPv6: undefined,
        CheckDuplicate: true,
        IPAM: { Driver: "default", Options: undefined, Config: [{ Subnet: "10.9.0.0/16" }] },
        Labels: {
          team: "a",
          "com.docker.compose.project": "myapp",
          "com.docker.compose.network": "default",
          "com.docker.compose.version": expect.any(String),
        },
      },
    ]);
    expect(plan.volumes.map((v) => v.spec)).toEqual([
      {
        Name: "myapp_data",
        Driver: "local",
        DriverOpts: { type: "tmpfs" },
        Labels: {
          keep: "yes",
          "com.docker.compose.project": "myapp",
          "com.docker.compose.volume": "data",
          "com.docker.compose.version": expect.any(String),
        },
      },
    ]);
  });

  it("gives each stop its timeout: -t first, then the service's stop_grace_period", () => {
    const api: ServiceConfig = {
      name: "api",
      image: "busybox",
      stop_grace_period: "1m30s",
      depends_on: { db: { condition: "service_started", required: true, restart: true } },
    };
    const changedDb = { ...db, stop_grace_period: "20s", environment: { A: "1" } };
    const p = project([api, changedDb, web], { volumes: base.volumes });
    const gone = container({ name: "old", image: "busybox" }, 1);
    const state = observed({
      containers: [container(api, 1), container(api, 2), container(db, 1), container(web, 1), gone],
    });
    const stops = (plan: ReturnType<typeof planUp>) => [
      ...plan.orphans.map((o) => ["orphan", o.stopTimeout]),
      ...plan.services.flatMap((s) =>
        s.actions.map((a) => [`${s.service} ${a.type}`, "stopTimeout" in a ? a.stopTimeout : "-"]),
      ),
    ];
    const opts = { removeOrphans: true, scale: { api: 1 } };
    expect(stops(planUp(p, state, opts))).toEqual([
      ["orphan", undefined],
      ["db recreate", 20],
      ["api restart", 90],
      ["api remove", 90],
      ["web keep", "-"],
    ]);
    expect(stops(planUp(p, state, { ...opts, timeoutSeconds: 3 }))).toEqual([
      ["orphan", 3],
      ["db recreate", 3],
      ["api restart", 3],
      ["api remove", 3],
      ["web keep", "-"],
    ]);
  });
});
