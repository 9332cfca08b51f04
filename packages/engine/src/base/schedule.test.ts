import { describe, expect, it } from "vitest";
import { runScheduled, schedule } from "./schedule.js";

const deps = new Map([
  ["web", ["api"]],
  ["api", ["db", "cache"]],
  ["db", []],
  ["cache", []],
  ["worker", ["db", "gone"]],
]);
const services = [...deps.keys()];

describe("schedule", () => {
  it("lists what each service waits for, dependencies first, level by level", () => {
    const order = schedule(services, deps, "dependencies-first");
    expect([...order.keys()]).toEqual(["cache", "db", "api", "worker", "web"]);
    expect(order.get("api")).toEqual(["cache", "db"]);
    expect(order.get("worker")).toEqual(["db"]);
  });

  it("puts dependents first the other way round", () => {
    const order = schedule(services, deps, "dependents-first");
    expect([...order.keys()]).toEqual(["web", "worker", "api", "cache", "db"]);
    expect(order.get("db")).toEqual(["api", "worker"]);
  });

  it("lets a cycle go last and together, after what it depends on outside it", () => {
    const cyclic = new Map([
      ["a", ["b", "c"]],
      ["b", ["a"]],
      ["c", []],
    ]);
    const order = schedule(["a", "b", "c"], cyclic, "dependencies-first");
    expect([...order.entries()]).toEqual([
      ["c", []],
      ["a", ["c"]],
      ["b", []],
    ]);
  });
});

describe("runScheduled", () => {
  it("starts a service once what it waits for is done, and not at all after their failure", async () => {
    const order = schedule(services, deps, "dependencies-first");
    const ran: string[] = [];
    await expect(
      runScheduled(order, async (s) => {
        ran.push(s);
        if (s === "cache") throw new Error("cache broke");
      }),
    ).rejects.toThrow("cache broke");
    expect(ran.sort()).toEqual(["cache", "db", "worker"]);
  });
});
