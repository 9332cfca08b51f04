import { describe, expect, it } from "vitest";
import { buildQuery, resolvedBuildArgs } from "./query.js";

describe("resolvedBuildArgs", () => {
  it("takes a value-less argument from the environment, leaves it out without one; --build-arg wins", () => {
    const build = { context: "/src", args: { A: "1", B: null, C: null } };
    expect(resolvedBuildArgs(build, { B: "from-env" })).toEqual({ A: "1", B: "from-env" });
    expect(resolvedBuildArgs(build, { D: "d" }, { A: "2", D: null })).toEqual({ A: "2", D: "d" });
  });
});

describe("buildQuery", () => {
  const build = {
    context: "/src",
    target: "t",
    labels: { l: "v" },
    cache_from: ["a", "type=registry,ref=b"],
    cache_to: ["type=inline"],
    extra_hosts: ["h=1.2.3.4", "g:5.6.7.8"],
    network: "host",
    tags: ["proj-app", "app:1"],
    platforms: ["linux/amd64"],
  };

  it("maps build keys to BuildKit's query", () => {
    expect(buildQuery(build, "proj-app", "Dockerfile", { A: "1" }, "buildkit", { noCache: true })).toEqual({
      t: ["proj-app", "app:1"],
      dockerfile: "Dockerfile",
      version: "2",
      buildargs: { A: "1", BUILDKIT_INLINE_CACHE: "1" },
      target: "t",
      labels: { l: "v" },
      cachefrom: '["a","b"]',
      extrahosts: ["h:1.2.3.4", "g:5.6.7.8"],
      networkmode: "host",
      platform: "linux/amd64",
      nocache: true,
    });
  });

  it("builds without the cache when no_cache_filter names stages, neither builder having a per-stage cache", () => {
    for (const builder of ["buildkit", "legacy"] as const)
      expect(
        buildQuery({ context: "/src", no_cache_filter: ["deps"] }, "p-app", "Dockerfile", {}, builder)
          .nocache,
      ).toBe(true);
  });

  it("has the legacy builder remove the containers of its steps, and passes its resource limits", () => {
    const query = buildQuery(
      { context: "/src", shm_size: 1024, ulimits: { nofile: { soft: 1, hard: 2 }, nproc: { single: 5 } } },
      "proj-app",
      "Dockerfile",
      {},
      "legacy",
      { pullBase: true },
    );
    expect(query).toEqual({
      t: ["proj-app"],
      dockerfile: "Dockerfile",
      rm: true,
      forcerm: true,
      shmsize: 1024,
      ulimits: '[{"Name":"nofile","Soft":1,"Hard":2},{"Name":"nproc","Soft":5,"Hard":5}]',
      pull: true,
    });
  });
});
