import type { Project, ServiceConfig } from "@berth/compose-schema";
import { describe, expect, it } from "vitest";
import { ServiceGraph } from "./graph.js";

function project(
  services: Record<string, Partial<ServiceConfig>>,
  disabled: Record<string, Partial<ServiceConfig>> = {},
) {
  const withNames = (m: Record<string, Partial<ServiceConfig>>) =>
    Object.fromEntries(Object.entries(m).map(([name, s]) => [name, { name, image: "x", ...s }]));
  return {
    name: "p",
    workingDir: "/",
    configFiles: [],
    profiles: [],
    environment: {},
    services: withNames(services),
    disabledServices: withNames(disabled),
    networks: {},
    volumes: {},
    secrets: {},
    configs: {},
  } as Project;
}

const started = { condition: "service_started", required: true } as const;

describe("ServiceGraph", () => {
  it("orders dependencies first from every attribute that names a service", () => {
    const g = new ServiceGraph(
      project({
        web: { depends_on: { api: started }, links: ["cache:redis"] },
        api: { network_mode: "service:net", volumes_from: ["data:ro", "container:other"] },
        net: {},
        data: { ipc: "service:ipcsvc" },
        ipcsvc: { pid: "host" },
        cache: {},
      }),
    );
    const order = g.startOrder();
    const precedes = (a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    precedes("api", "web");
    precedes("cache", "web");
    precedes("net", "api");
    precedes("data", "api");
    precedes("ipcsvc", "data");
    expect(g.dependencies("api").sort()).toEqual(["data", "net"]);
    expect(g.dependencyEdges("web").find((d) => d.on === "cache")?.kind).toBe("links");
    expect(g.dependents("api")).toEqual(["web"]);
    expect(g.reverseOrder()).toEqual([...order].reverse());
  });

  it("reports a cycle with its path", () => {
    expect(
      () =>
        new ServiceGraph(
          project({ api: { depends_on: { worker: started } }, worker: { depends_on: { api: started } } }),
        ),
    ).toThrow(
      expect.objectContaining({
        code: "DEPENDENCY_CYCLE",
        message: "dependency cycle: api -> worker -> api",
      }),
    );
  });

  it("rejects a missing or disabled dependency, naming both, unless not required", () => {
    expect(() => new ServiceGraph(project({ web: { depends_on: { db: started } } }))).toThrow(
      expect.objectContaining({ code: "MISSING_DEPENDENCY", message: expect.stringMatching(/web.*db/) }),
    );
    expect(() => new ServiceGraph(project({ web: { depends_on: { db: started } } }, { db: {} }))).toThrow(
      /web depends on db, which is disabled by its profiles/,
    );
    const g = new ServiceGraph(
      project({ web: { depends_on: { db: { condition: "service_started", required: false } } } }),
    );
    expect(g.dependencies("web")).toEqual([]);
  });

  it("keeps the strictest condition when a service is named twice", () => {
    const g = new ServiceGraph(
      project({
        web: {
          links: ["db"],
          depends_on: { db: { condition: "service_healthy", required: true, restart: true } },
        },
        db: {},
      }),
    );
    expect(g.dependencyEdges("web")).toEqual([
      { service: "web", on: "db", kind: "depends_on", condition: "service_healthy", restart: true },
    ]);
  });

  it("adds dependencies transitively and rejects unknown names", () => {
    const g = new ServiceGraph(
      project({
        web: { depends_on: { api: started } },
        api: { depends_on: { db: started } },
        db: {},
        other: {},
      }),
    );
    expect(g.withDependencies(["web"])).toEqual(["db", "api", "web"]);
    expect(() => g.withDependencies(["nope"])).toThrow(expect.objectContaining({ code: "NO_SUCH_SERVICE" }));
  });
});
