import type { Project, ServiceConfig } from "@berth/compose-schema";
import { describe, expect, it } from "vitest";
import { projectOf } from "../../../../test/helpers/project-of.js";
import { specDiff, taskMatches } from "./compare.js";
import { SwarmErrorCodes, SwarmUnsupportedError } from "./errors.js";
import { contentHash, networkSpec, objectSpec, usedNetworkKeys } from "./objects.js";
import { mustResolve } from "./resolve-image.js";
import { checkSwarmSupport, ipvsWarning } from "./unsupported.js";

function project(services: Partial<ServiceConfig>[]): Project {
  return projectOf(
    services.map((s, i) => ({ name: `s${i}`, image: "img", ...s }) as ServiceConfig),
    { name: "shop", workingDir: "/srv", configFiles: [] },
  );
}

describe("checkSwarmSupport", () => {
  it("refuses container-only keys, naming the service and the key", () => {
    const { errors } = checkSwarmSupport(
      project([
        { name: "web", build: { context: "." }, image: undefined },
        { name: "db", network_mode: "host", privileged: true, container_name: "db" },
        { name: "app", links: ["db"], volumes_from: ["db"], devices: ["/dev/fuse"] },
      ]),
    );
    expect(errors.map((e) => `${e.service}:${e.key}`)).toEqual([
      "web:build",
      "db:network_mode",
      "db:privileged",
      "db:container_name",
      "app:links",
      "app:volumes_from",
      "app:devices",
    ]);
    const error = new SwarmUnsupportedError(errors.slice(0, 1));
    expect(error.code).toBe(SwarmErrorCodes.unsupported);
    expect(error.message).toMatch(/^service web: build: Swarm cannot build images/);
  });

  it("accepts build with an image, and privileged: false", () => {
    const { errors } = checkSwarmSupport(
      project([{ build: { context: "." }, image: "me/app", privileged: false }]),
    );
    expect(errors).toEqual([]);
  });

  it("warns about depends_on and bind mounts", () => {
    const { errors, warnings } = checkSwarmSupport(
      project([
        {
          name: "web",
          depends_on: { db: { condition: "service_started", required: true } },
          volumes: [{ type: "bind", source: "/srv/conf", target: "/conf" }],
        },
      ]),
    );
    expect(errors).toEqual([]);
    expect(warnings.map((w) => w.key)).toEqual(["depends_on", "volumes"]);
  });

  it("refuses port ranges and ingress ports on dnsrr services", () => {
    const { errors } = checkSwarmSupport(
      project([
        { name: "web", deploy: { endpoint_mode: "dnsrr" }, ports: [{ target: 80, published: "8000-8001" }] },
      ]),
    );
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringContaining("range 8000-8001"),
      expect.stringContaining("set mode: host"),
    ]);
  });
});

describe("ipvsWarning", () => {
  const vip = project([{ name: "web" }, { name: "db", deploy: { endpoint_mode: "dnsrr" } }]);
  it("names the services that need IPVS once, when the kernel lacks it", () => {
    expect(ipvsWarning(vip, false)?.message).toMatch(/no IPVS.*services: web\).*endpoint_mode: dnsrr/);
    expect(ipvsWarning(vip, true)).toBeUndefined();
  });
  it("says nothing when every service uses dnsrr and host ports", () => {
    const dnsrr = project([{ deploy: { endpoint_mode: "dnsrr" }, ports: [{ target: 80, mode: "host" }] }]);
    expect(ipvsWarning(dnsrr, false)).toBeUndefined();
  });
});

describe("objects", () => {
  it("names configs with a hash of their content", () => {
    const a = objectSpec("shop", "config", "app", { name: "shop_app" }, Buffer.from("v1"));
    const b = objectSpec("shop", "config", "app", { name: "shop_app" }, Buffer.from("v2"));
    expect(a.Name).toBe(`shop_app-${contentHash(Buffer.from("v1"))}`);
    expect(a.Name).toMatch(/^shop_app-[0-9a-f]{8}$/);
    expect(b.Name).not.toBe(a.Name);
    expect(a.Labels).toEqual({ "com.docker.stack.namespace": "shop" });
    expect(Buffer.from(a.Data, "base64").toString()).toBe("v1");
  });

  it("creates overlay networks unless told otherwise, only the ones services use", () => {
    const p = project([{ name: "web" }, { name: "db", networks: { back: null } }]);
    p.networks = { back: { name: "shop_back", attachable: true }, unused: { name: "shop_unused" } };
    expect(usedNetworkKeys(p)).toEqual(["back", "default"]);
    expect(networkSpec(p, "shop", "default")).toMatchObject({ Name: "shop_default", Driver: "overlay" });
    expect(networkSpec(p, "shop", "back")).toMatchObject({ Name: "shop_back", Attachable: true });
  });
});

describe("specDiff", () => {
  it("ignores blanks and the engine's defaults, and names what changed", () => {
    const desired = {
      TaskTemplate: { ContainerSpec: { Image: "a", Env: ["A=1"] } },
      UpdateConfig: { Delay: 0 },
    };
    const stored = {
      TaskTemplate: {
        ContainerSpec: { Image: "a", Env: ["A=1"], Isolation: "default", DNSConfig: {} },
        Runtime: "container",
      },
      UpdateConfig: { FailureAction: "pause" },
    };
    expect(specDiff(desired, stored)).toEqual([]);
    const changed = { ...stored, TaskTemplate: { ContainerSpec: { Image: "a", Env: ["A=2"] } } };
    expect(specDiff(desired, changed)).toEqual(["TaskTemplate.ContainerSpec.Env"]);
    expect(specDiff({ Labels: {} }, { Labels: { extra: "1" } })).toEqual(["Labels.extra"]);
    // `restart_policy: { delay: 1s }`: the engine stores the condition it fills in.
    const restart = { TaskTemplate: { RestartPolicy: { Delay: 1e9 } } };
    expect(specDiff(restart, { TaskTemplate: { RestartPolicy: { Condition: "any", Delay: 1e9 } } })).toEqual(
      [],
    );
  });
});

describe("taskMatches", () => {
  it("compares only the keys a task's copy of the template has", () => {
    const template = {
      ContainerSpec: { Image: "a", Args: ["x"], StopGracePeriod: 1 },
      RestartPolicy: { Condition: "any" },
    };
    expect(taskMatches(template, { ContainerSpec: { Image: "a", Args: ["x"] } })).toBe(true);
    expect(taskMatches(template, { ContainerSpec: { Image: "a", Args: ["y"] } })).toBe(false);
  });
});

describe("mustResolve", () => {
  it("asks the registry always, never, or when the written image changed", () => {
    expect(mustResolve("always", "img:1", "img:1")).toBe(true);
    expect(mustResolve("never", "img:2", "img:1")).toBe(false);
    expect(mustResolve("changed", "img:1", "img:1")).toBe(false);
    expect(mustResolve("changed", "img:2", "img:1")).toBe(true);
    expect(mustResolve("changed", "img:1", undefined)).toBe(true);
  });
});
