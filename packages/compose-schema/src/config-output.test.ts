import { describe, expect, it } from "vitest";
import { projectOf } from "../../../test/helpers/project-of.js";
import { listImages, listProfiles, listServices, listVolumes, renderConfig } from "./config-output.js";
import type { Project, ServiceConfig } from "./types.js";

function project(services: Record<string, Partial<ServiceConfig>>, extra: Partial<Project> = {}): Project {
  return projectOf(
    Object.entries(services).map(([name, s]) => ({ name, ...s })),
    extra,
  );
}

describe("renderConfig", () => {
  it("prints services sorted, keys in compose's order, name first", () => {
    const p = project({
      web: { image: "nginx", command: ["a"], build: { context: "/p" }, profiles: ["x"] },
      api: { image: "api" },
    });
    expect(renderConfig(p, { format: "yaml" })).toBe(
      "name: demo\nservices:\n  api:\n    image: api\n  web:\n    profiles:\n      - x\n    build:\n      context: /p\n    command:\n      - a\n    image: nginx\n",
    );
  });

  it("leaves out zero values unless compose's field is a pointer", () => {
    const p = project({
      a: {
        image: "x",
        privileged: false,
        init: false,
        read_only: false,
        cpu_shares: 0,
        healthcheck: { retries: 0 },
      },
    });
    expect(renderConfig(p, { format: "yaml" })).toContain(
      "    healthcheck:\n      retries: 0\n    image: x\n    init: false\n",
    );
    expect(renderConfig(p, { format: "yaml" })).not.toMatch(/privileged|read_only|cpu_shares/);
  });

  it("prints byte sizes as quoted decimal strings and ulimits in both forms", () => {
    const p = project({
      a: { mem_limit: 1073741824, ulimits: { nproc: { single: 10 }, nofile: { soft: 1, hard: 2 } } },
    });
    expect(renderConfig(p, { format: "yaml" })).toContain(
      '    mem_limit: "1073741824"\n    ulimits:\n      nofile:\n        soft: 1\n        hard: 2\n      nproc: 10\n',
    );
  });

  it("doubles $ unless the project was loaded without interpolation", () => {
    const p = project({ a: { image: "x", environment: { A: "$HOME" } } });
    expect(renderConfig(p, { format: "yaml" })).toContain("A: $$HOME");
    expect(renderConfig(p, { format: "yaml", noInterpolate: true })).toContain("A: $HOME");
  });

  it("prints JSON as compose does: compact, command and entrypoint always present", () => {
    const p = project({ a: { image: "x" } }, { networks: { default: { name: "demo_default" } } });
    expect(renderConfig(p, { format: "json" })).toBe(
      '{"name":"demo","networks":{"default":{"name":"demo_default","ipam":{},"external":false}},"services":{"a":{"command":null,"entrypoint":null,"image":"x"}}}',
    );
  });
});

describe("list functions", () => {
  const p = project(
    {
      web: { image: "nginx", depends_on: { api: { condition: "service_started", required: true } } },
      api: { depends_on: { db: { condition: "service_healthy", required: true } }, profiles: ["back"] },
      db: { image: "postgres" },
    },
    { volumes: { zeta: { name: "demo_zeta" }, alpha: { name: "demo_alpha" } } },
  );
  p.disabledServices.tool = { name: "tool", image: "busybox", profiles: ["tools", "debug"] };

  it("lists services after their dependencies", () => {
    expect(listServices(p)).toEqual(["db", "api", "web"]);
  });

  it("lists volumes, profiles of every service, and images with compose's default names", () => {
    expect(listVolumes(p)).toEqual(["alpha", "zeta"]);
    expect(listProfiles(p)).toEqual(["back", "debug", "tools"]);
    expect(listImages(p)).toEqual(["demo-api", "postgres", "nginx"]);
  });
});
