import { describe, expect, it } from "vitest";
import { findCycle } from "./dependency-cycle.js";

const graph = (entries: Record<string, string[]>) => new Map(Object.entries(entries));

describe("findCycle", () => {
  it("names one cycle from its first service in name order, or none", () => {
    expect(findCycle(graph({ a: ["b"], b: ["c"], c: ["a"], d: [] }))).toEqual(["a", "b", "c", "a"]);
    expect(findCycle(graph({ a: ["a"] }))).toEqual(["a", "a"]);
    expect(findCycle(graph({ a: ["b", "c"], b: ["c"], c: [] }))).toEqual([]);
    expect(findCycle(graph({ x: ["y"], y: ["z"], z: ["y"] }))).toEqual(["y", "z", "y"]);
  });

  it("follows a chain of 100 000 dependencies without overflowing the stack", () => {
    const n = 100_000;
    const edges = new Map<string, string[]>();
    for (let i = 0; i < n; i++) edges.set(`s${i}`, i + 1 < n ? [`s${i + 1}`] : []);
    expect(findCycle(edges)).toEqual([]);
    edges.set(`s${n - 1}`, ["s0"]);
    expect(findCycle(edges)).toHaveLength(n + 1);
  });
});
