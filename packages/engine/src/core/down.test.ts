import { describe, expect, it } from "vitest";
import type { ObservedContainer } from "../base/observe.js";
import { serviceDependencies } from "./down-plan.js";

const c = (service: string, dependsOn?: string): ObservedContainer => ({
  id: service,
  name: `p-${service}-1`,
  service,
  number: 1,
  oneoff: false,
  hook: false,
  state: "running",
  imageId: "",
  image: "",
  configHash: "",
  volumes: [],
  networks: [],
  labels: dependsOn === undefined ? {} : { "com.docker.compose.depends_on": dependsOn },
});

describe("down ordering from labels", () => {
  it("reads compose's depends_on label", () => {
    const deps = serviceDependencies([
      c("web", "db:service_healthy:false,cache:service_started:true"),
      c("db", ""),
      c("cache"),
    ]);
    expect(deps.get("web")).toEqual(new Set(["db", "cache"]));
    expect(deps.get("db")).toEqual(new Set());
  });
});
