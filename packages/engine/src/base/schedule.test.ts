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

describe("runScheduled with hooks", () => {
  const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it("waits on each edge as soon as that one service is done, not once all are", async () => {
    const order = schedule(services, deps, "dependencies-first");
    const log: string[] = [];
    await runScheduled(
      order,
      async (s) => {
        await tick(s === "db" ? 30 : 1);
        log.push(`ran ${s}`);
      },
      {
        wait: async (service, on, done) => {
          await done;
          log.push(`${service} waits for ${on}`);
        },
      },
    );
    // api's wait on cache starts before db (slower) is done; api runs after both waits.
    expect(log.indexOf("api waits for cache")).toBeLessThan(log.indexOf("ran db"));
    expect(log.indexOf("ran api")).toBeGreaterThan(log.indexOf("api waits for db"));
    expect(log.filter((l) => l.startsWith("ran")).length).toBe(5);
  });

  it("tells `failed` once per service that failed, by its run or by a wait, and not what never ran", async () => {
    const order = schedule(services, deps, "dependencies-first");
    const failed: string[] = [];
    const ran: string[] = [];
    await expect(
      runScheduled(
        order,
        async (s) => {
          ran.push(s);
        },
        {
          wait: async (service, on, done) => {
            await done;
            if (on === "db") throw new Error(`${service}: db unhealthy`);
          },
          failed: (service, error) => failed.push(`${service}: ${(error as Error).message}`),
        },
      ),
    ).rejects.toThrow("db unhealthy");
    expect(ran.sort()).toEqual(["cache", "db"]);
    expect(failed.sort()).toEqual([
      "api: api: db unhealthy",
      "web: api: db unhealthy",
      "worker: worker: db unhealthy",
    ]);
  });
});
