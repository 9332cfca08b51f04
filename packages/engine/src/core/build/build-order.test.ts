import type { Project } from "@berth/compose-schema";
import { describe, expect, it } from "vitest";
import { buildReads, contextSource } from "./build-order.js";
import { ServiceContextError } from "./errors.js";

function project(services: Record<string, Record<string, string> | undefined>): Project {
  return {
    name: "p",
    services: Object.fromEntries(
      Object.entries(services).map(([name, contexts]) => [
        name,
        {
          name,
          build: contexts === undefined ? undefined : { context: "/src", additional_contexts: contexts },
        },
      ]),
    ),
  } as unknown as Project;
}

describe("contextSource", () => {
  it("reads service:, docker-image:// and folders, also as the loader resolved them to paths", () => {
    expect(contextSource("service:base")).toEqual({ kind: "service", service: "base" });
    expect(contextSource("/proj/service:base")).toEqual({ kind: "service", service: "base" });
    expect(contextSource("docker-image://alpine:3")).toEqual({ kind: "image", image: "alpine:3" });
    expect(contextSource("/proj/assets")).toEqual({ kind: "local", path: "/proj/assets" });
  });
});

describe("buildReads", () => {
  it("lists every build needed with the services it reads, even those not asked for", () => {
    const p = project({ base: {}, api: { b: "service:base" }, web: {}, db: undefined });
    expect(buildReads(p, ["api", "web", "db"])).toEqual(
      new Map([
        ["api", ["base"]],
        ["web", []],
        ["base", []],
      ]),
    );
  });

  it("refuses a context that names a service building nothing", () => {
    expect(() => buildReads(project({ api: { b: "service:db" }, db: undefined }), ["api"])).toThrow(
      "service api: build.additional_contexts: service:db names no service that builds an image",
    );
  });

  it("refuses a cycle, naming the service whose context closes it and the whole cycle", () => {
    const p = project({ a: { x: "service:b" }, b: { y: "service:c" }, c: { z: "service:a" }, d: {} });
    const error = (() => {
      try {
        buildReads(p, ["d", "a"]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ServiceContextError);
    expect(error).toMatchObject({
      code: "BUILD_SERVICE_CONTEXT",
      service: "c",
      message: "service c: build.additional_contexts: service:a makes a cycle of builds (a -> b -> c -> a)",
    });
    expect(() => buildReads(project({ self: { me: "service:self" } }), ["self"])).toThrow(
      "service self: build.additional_contexts: service:self makes a cycle of builds (self -> self)",
    );
  });
});
