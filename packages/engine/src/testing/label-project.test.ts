import type { Project } from "@berth/compose-schema";
import { describe, expect, it } from "vitest";
import { labelProject } from "./label-project.js";

const project = {
  name: "p",
  workingDir: "/w",
  configFiles: [],
  profiles: [],
  environment: {},
  services: { web: { name: "web", image: "x", labels: { own: "1" } } },
  disabledServices: {},
  networks: { default: { name: "p_default" }, ext: { name: "shared", external: true } },
  volumes: { data: { name: "p_data" } },
  secrets: {},
  configs: {},
} as Project;

describe("labelProject", () => {
  it("adds the labels to services, networks and volumes, keeping their own", () => {
    const labelled = labelProject(project, { owner: "me" });
    expect(labelled.services.web.labels).toEqual({ own: "1", owner: "me" });
    expect(labelled.networks.default.labels).toEqual({ owner: "me" });
    expect(labelled.volumes.data.labels).toEqual({ owner: "me" });
    expect(project.services.web.labels).toEqual({ own: "1" });
  });

  it("leaves external resources alone", () => {
    expect(labelProject(project, { owner: "me" }).networks.ext.labels).toBeUndefined();
  });
});
