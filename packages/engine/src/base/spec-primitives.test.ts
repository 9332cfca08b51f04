import type { ServiceConfig } from "@berth/compose-schema";
import { describe, expect, it } from "vitest";
import { projectOf } from "../../../../test/helpers/project-of.js";
import { containerSpec } from "../core/container-spec.js";
import { serviceSpec } from "../swarm/service-spec.js";
import { compact, environmentEntries, healthConfig, ipamSpec } from "./spec-primitives.js";

const service: ServiceConfig = {
  name: "api",
  image: "shop/api:1",
  environment: { B: "2", FROM_DOTENV: null, FROM_PROCESS: null, MISSING: null, A: "" },
};
// What the loader resolved: the process's variables over the .env file's.
const project = projectOf([service], { name: "shop", environment: { FROM_DOTENV: "dotenv", SHARED: "x" } });
const processEnv = { FROM_PROCESS: "process", FROM_DOTENV: "ignored: the loader already chose" };

describe("spec primitives", () => {
  it("resolves valueless environment entries from the project's environment, then the given one", () => {
    expect(environmentEntries(service, project, processEnv)).toEqual([
      "B=2",
      "FROM_DOTENV=dotenv",
      "FROM_PROCESS=process",
      "A=",
    ]);
    expect(environmentEntries({ name: "x" }, project, processEnv)).toBeUndefined();
  });

  it("gives containers and Swarm services the same environment (Swarm sorted, as docker stack does)", () => {
    const container = containerSpec({ project, service, number: 1, env: processEnv }).options.Env;
    const swarm = serviceSpec({ stack: "shop", project, service, configs: {}, secrets: {}, env: processEnv })
      .TaskTemplate.ContainerSpec.Env;
    expect(swarm).toEqual([...(container ?? [])].sort());
    expect(swarm).toContain("FROM_DOTENV=dotenv");
  });

  it("maps a healthcheck to nanoseconds, with the start interval only where the engine keeps it", () => {
    const h = { test: ["CMD", "true"], interval: "2s", start_period: "1m", start_interval: "500ms" };
    expect(healthConfig(h, { startInterval: true })).toEqual({
      Test: ["CMD", "true"],
      Interval: 2e9,
      StartPeriod: 60e9,
      StartInterval: 5e8,
    });
    expect(healthConfig(h, { startInterval: false })).not.toHaveProperty("StartInterval");
    expect(healthConfig({ disable: true, test: ["CMD", "true"] }, { startInterval: true })).toEqual({
      Test: ["NONE"],
    });
  });

  it("maps ipam as written, the default driver when none is named", () => {
    expect(
      ipamSpec({
        config: [{ subnet: "10.9.0.0/24", gateway: "10.9.0.1", aux_addresses: { h: "10.9.0.5" } }],
      }),
    ).toEqual({
      Driver: "default",
      Options: undefined,
      Config: [
        {
          Subnet: "10.9.0.0/24",
          Gateway: "10.9.0.1",
          IPRange: undefined,
          AuxiliaryAddresses: { h: "10.9.0.5" },
        },
      ],
    });
  });

  it("compact drops only undefined", () => {
    expect(compact({ a: undefined, b: 0, c: "", d: null, e: false })).toEqual({
      b: 0,
      c: "",
      d: null,
      e: false,
    });
  });
});
