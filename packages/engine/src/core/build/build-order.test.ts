import type { Project } from "@berth/compose-schema";
import { describe, expect, it } from "vitest";
import { buildWaves, contextSource } from "./build-order.js";

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

describe("buildWaves", () => {
  it("builds an image another build reads first, even when not asked for", () => {
    const p = project({ base: {}, api: { b: "service:base" }, web: {}, db: undefined });
    expect(buildWaves(p, ["api", "web", "db"])).toEqual([["base", "web"], ["api"]]);
  });

  it("refuses a service that builds nothing and a cycle, naming the service", () => {
    expect(() => buildWaves(project({ api: { b: "service:db" }, db: undefined }), ["api"])).toThrow(
      "service api: build.additional_contexts: service:db names no service that builds an image",
    );
    expect(() => buildWaves(project({ a: { x: "service:b" }, b: { y: "service:a" } }), ["a"])).toThrow(
      /service:a makes a cycle of builds/,
    );
  });
});
