import { describe, expect, it } from "vitest";
import { dependenciesFromLabels, dependencyWaves } from "./order.js";

describe("dependenciesFromLabels", () => {
  it("reads compose's depends_on label", () => {
    expect(
      dependenciesFromLabels({
        "com.docker.compose.depends_on": "db:service_healthy:false,cache:service_started:true",
      }),
    ).toEqual(["db", "cache"]);
    expect(dependenciesFromLabels({ "com.docker.compose.depends_on": "" })).toEqual([]);
    expect(dependenciesFromLabels({})).toEqual([]);
  });
});

describe("dependencyWaves", () => {
  const deps = new Map([
    ["web", ["api"]],
    ["api", ["db", "cache"]],
    ["db", []],
    ["cache", []],
    ["worker", ["db", "gone"]],
  ]);

  it("puts dependencies first", () => {
    expect(dependencyWaves(deps)).toEqual([["cache", "db"], ["api", "worker"], ["web"]]);
  });

  it("puts dependents first in reverse", () => {
    expect(dependencyWaves(deps, true)).toEqual([["web", "worker"], ["api"], ["cache", "db"]]);
  });

  it("ends a cycle in one wave", () => {
    const cyclic = new Map([
      ["a", ["b"]],
      ["b", ["a"]],
      ["c", []],
    ]);
    expect(dependencyWaves(cyclic)).toEqual([["c"], ["a", "b"]]);
  });
});
