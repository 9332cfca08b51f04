import type { Project } from "@berth/compose-schema";
import type { Plan } from "@berth/engine";
import { describe, expect, it } from "vitest";
import { formatPlan } from "./plan.js";

const observed = (name: string, service: string) => ({
  id: name,
  name,
  service,
  number: 1,
  oneoff: false,
  hook: false,
  state: "running",
  imageId: "sha256:1",
  image: "busybox",
  configHash: "h",
  labels: {},
  volumes: [],
  networks: [],
});

describe("formatPlan", () => {
  it("names each resource and what up would do to it", () => {
    const project = {
      name: "app",
      services: { db: { name: "db", container_name: "the-db" }, web: { name: "web" } },
    };
    const plan: Plan = {
      project: "app",
      networks: [{ key: "default", config: { name: "app_default" } }],
      volumes: [],
      services: [
        {
          service: "db",
          replicas: 1,
          actions: [{ type: "create", service: "db", number: 1, reason: "no container" }],
        },
        {
          service: "web",
          replicas: 1,
          actions: [
            {
              type: "recreate",
              service: "web",
              number: 1,
              container: observed("app-web-1", "web"),
              reason: "config changed",
              inheritedVolumes: [],
            },
            {
              type: "remove",
              service: "web",
              container: observed("app-web-2", "web"),
              reason: "scale down",
            },
          ],
        },
      ],
      orphans: [observed("app-old-1", "old")],
      warnings: ["something to know"],
      start: true,
    };
    expect(formatPlan(project as unknown as Project, plan).split("\n")).toEqual([
      "warning: something to know",
      "Network app_default  Create",
      "Container app-old-1  Remove (orphan)",
      "Container the-db  Create",
      "Container app-web-1  Recreate (config changed)",
      "Container app-web-2  Remove (scale down)",
      "",
    ]);
  });
});
