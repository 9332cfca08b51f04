import type { ServiceConfig } from "@berth/compose-schema";
import { describe, expect, it } from "vitest";
import {
  configChanges,
  configDigest,
  parseConfigDigest,
  serviceConfigHash,
  stableStringify,
} from "./config-hash.js";

const base: ServiceConfig = {
  name: "web",
  image: "busybox",
  environment: { A: "1", B: "2" },
  deploy: { replicas: 1, resources: { limits: { memory: 1024 } } },
};

describe("serviceConfigHash", () => {
  it("does not depend on key order", () => {
    const reordered = { deploy: base.deploy, environment: { B: "2", A: "1" }, image: "busybox", name: "web" };
    expect(serviceConfigHash(reordered)).toBe(serviceConfigHash(base));
    expect(stableStringify({ b: 1, a: [{ d: 1, c: undefined }] })).toBe('{"a":[{"d":1}],"b":1}');
  });

  it("changes with what changes a container", () => {
    const h = serviceConfigHash(base);
    expect(serviceConfigHash({ ...base, environment: { A: "1", B: "3" } })).not.toBe(h);
    expect(serviceConfigHash({ ...base, image: "other" })).not.toBe(h);
    expect(
      serviceConfigHash({ ...base, deploy: { replicas: 1, resources: { limits: { memory: 2048 } } } }),
    ).not.toBe(h);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
  });

  it("ignores scale, replicas, build, pull policy, profiles and depends_on", () => {
    const h = serviceConfigHash(base);
    expect(
      serviceConfigHash({
        ...base,
        scale: 3,
        deploy: { ...base.deploy, replicas: 5 },
        build: { context: "." },
        pull_policy: "always",
        profiles: ["debug"],
        depends_on: { db: { condition: "service_started", required: true } },
      }),
    ).toBe(h);
  });
});

describe("configChanges", () => {
  const changes = (after: Partial<ServiceConfig>) =>
    configChanges(configDigest(base), configDigest({ ...base, ...after }));

  it("names changed, added and removed map keys and top-level keys", () => {
    expect(changes({ environment: { A: "9", C: "3" }, image: "other", command: ["true"] })).toEqual([
      "command added",
      "environment.A changed",
      "environment.B removed",
      "environment.C added",
      "image changed",
    ]);
    expect(changes({ deploy: { replicas: 5, resources: base.deploy?.resources } })).toEqual([]);
  });

  it("keeps hashes, never values, in the label", () => {
    const label = JSON.stringify(configDigest({ ...base, environment: { TOKEN: "s3cret" } }));
    expect(label).not.toContain("s3cret");
    expect(parseConfigDigest(label)).toEqual(JSON.parse(label));
    expect(parseConfigDigest("not json")).toBeUndefined();
  });
});
