import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatDeploySteps } from "./deploy-steps.js";
import { NoSuchSwarmStackError } from "./errors.js";
import {
  type ObservedSwarmStackObjects,
  planSwarmStackRemoval,
  swarmStackRemovalSteps,
} from "./swarm-stack-rm-plan.js";

// `deploy rm` plans as text, checked against golden/deploy-rm.txt like golden/deploy.txt.
// BERTH_UPDATE_GOLDEN=1 rewrites the file; review the diff before committing it.
const UPDATE = process.env.BERTH_UPDATE_GOLDEN === "1";
const GOLDEN = new URL("./golden/deploy-rm.txt", import.meta.url);

const none: ObservedSwarmStackObjects = { services: [], networks: [], configs: [], secrets: [] };
const deployed: ObservedSwarmStackObjects = {
  // In the swarm's listing order, which is not the name order the plan uses.
  services: [
    { id: "s2", name: "shop_web" },
    { id: "s1", name: "shop_api" },
  ],
  networks: [
    { id: "n1", name: "shop_default" },
    { id: "n2", name: "shop_back" },
  ],
  configs: [
    { id: "c1", name: "shop_app_conf-13d44aed" },
    { id: "c0", name: "shop_app_conf-00000000" },
  ],
  secrets: [{ id: "x1", name: "shop_token-82ba9d71" }],
};

const states: [string, ObservedSwarmStackObjects][] = [
  ["a deployed stack: services, networks, configs (two versions) and a secret", deployed],
  [
    "an interrupted rm: the services gone, a network and a secret left",
    {
      ...none,
      networks: [{ id: "n1", name: "shop_default" }],
      secrets: [{ id: "x1", name: "shop_token-82ba9d71" }],
    },
  ],
  ["services only", { ...none, services: [{ id: "s1", name: "shop_api" }] }],
];

describe("deploy rm plans (golden/deploy-rm.txt)", () => {
  it("plans each observed state as the file says", () => {
    const text = states
      .map(
        ([title, observed]) =>
          `## ${title}\n${formatDeploySteps(swarmStackRemovalSteps(planSwarmStackRemoval("shop", observed)))}`,
      )
      .join("\n");
    if (UPDATE) writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, "utf8"));
  });

  it("refuses a stack with nothing on the swarm, as docker stack rm does", () => {
    expect(() => planSwarmStackRemoval("shop", none)).toThrow(NoSuchSwarmStackError);
  });

  it("keeps the IDs the executor removes by", () => {
    const plan = planSwarmStackRemoval("shop", deployed);
    expect(plan.services.map((s) => s.id)).toEqual(["s1", "s2"]);
    expect(plan.objects.map((o) => `${o.kind}:${o.id}`)).toEqual(["config:c0", "config:c1", "secret:x1"]);
  });
});
