import { readFileSync, writeFileSync } from "node:fs";
import type { Project, ServiceConfig } from "@berth/compose-schema";
import { describe, expect, it } from "vitest";
import { projectOf } from "../../../../test/helpers/project-of.js";
import type { ApiService } from "./api-types.js";
import { type DeployPlanInput, type ObservedSwarmStack, planDeploy } from "./deploy-plan.js";
import { deploySteps, formatDeploySteps } from "./deploy-steps.js";
import { SwarmStackLabels } from "./labels.js";
import { objectSpec } from "./objects.js";

// Deploy plans as text, checked against golden/deploy.txt, the way docker compose tests its reconcile.
// BERTH_UPDATE_GOLDEN=1 rewrites the file; review the diff before committing it.
const UPDATE = process.env.BERTH_UPDATE_GOLDEN === "1";
const GOLDEN = new URL("./golden/deploy.txt", import.meta.url);

const api: ServiceConfig = {
  name: "api",
  image: "shop/api:1.4",
  environment: { MODE: "prod" },
  configs: [{ source: "app_conf", target: "/etc/app.conf" }],
  secrets: [{ source: "token" }],
  deploy: { replicas: 2 },
};
const web: ServiceConfig = {
  name: "web",
  image: "shop/web:2.0",
  ports: [{ target: 80, published: "8080", protocol: "tcp", mode: "ingress" }],
};

function shop(services: ServiceConfig[] = [api, web]): Project {
  return projectOf(services, {
    name: "shop",
    configs: { app_conf: { name: "shop_app_conf", content: "level=1\n" } },
    secrets: { token: { name: "shop_token", content: "s3cret\n" } },
  });
}

const objectsOf = (project: Project, conf = "level=1\n") => [
  objectSpec("shop", "config", "app_conf", { name: "shop_app_conf" }, Buffer.from(conf)),
  objectSpec("shop", "secret", "token", project.secrets.token ?? { name: "" }, Buffer.from("s3cret\n")),
];

const nothing: ObservedSwarmStack = {
  networks: {},
  objects: { config: {}, secret: {} },
  externals: {},
  services: [],
  digests: {},
};

function input(
  project: Project,
  observed: ObservedSwarmStack,
  over: Partial<DeployPlanInput> = {},
): DeployPlanInput {
  return {
    project,
    stack: "shop",
    observed,
    objects: objectsOf(project),
    warnings: [],
    resolveImage: "never",
    prune: false,
    hasIpvs: true,
    env: {},
    ...over,
  };
}

/**
 * The swarm after a deploy of `project`: what the engine stores, with the IDs it gave and the defaults
 * it fills in (a stored spec is never byte for byte what was sent).
 */
function deployed(project: Project, conf?: string): ObservedSwarmStack {
  const objects = objectsOf(project, conf);
  const withIds: ObservedSwarmStack = {
    networks: { shop_default: "net1" },
    objects: {
      config: Object.fromEntries(
        objects.filter((o) => o.kind === "config").map((o) => [o.Name, `id-${o.Name}`]),
      ),
      secret: Object.fromEntries(
        objects.filter((o) => o.kind === "secret").map((o) => [o.Name, `id-${o.Name}`]),
      ),
    },
    externals: {},
    services: [],
    digests: {},
  };
  const plan = planDeploy(input(project, withIds, { objects }));
  const services = plan.services.map((a, i): ApiService => {
    if (a.type !== "create-service") throw new Error(`expected a create, got ${a.type}`);
    const stored = structuredClone(a.spec) as unknown as ApiService["Spec"];
    stored.TaskTemplate.ForceUpdate = 0;
    (stored.TaskTemplate.ContainerSpec as Record<string, unknown>).Isolation = "default";
    return { ID: `svc${i}`, Version: { Index: 10 + i }, Spec: stored };
  });
  return { ...withIds, services };
}

const upToDate = deployed(shop());
const states: [string, Project, ObservedSwarmStack, Partial<DeployPlanInput>][] = [
  ["nothing", shop(), nothing, {}],
  ["all up to date", shop(), upToDate, {}],
  ["one service changed (web's image)", shop([api, { ...web, image: "shop/web:2.1" }]), upToDate, {}],
  ["a config changed (a new hashed name rolls its services)", shop(), deployed(shop(), "level=0\n"), {}],
  [
    "prune: a service and a config version the file no longer has",
    shop([api]),
    {
      ...upToDate,
      objects: {
        ...upToDate.objects,
        config: { ...upToDate.objects.config, "shop_app_conf-00000000": "id-old" },
      },
    },
    { prune: true },
  ],
  [
    "without prune the same state keeps them",
    shop([api]),
    {
      ...upToDate,
      objects: {
        ...upToDate.objects,
        config: { ...upToDate.objects.config, "shop_app_conf-00000000": "id-old" },
      },
    },
    {},
  ],
  [
    "an interrupted deploy: networks, configs and api there, web missing",
    shop(),
    { ...upToDate, services: upToDate.services.filter((s) => s.Spec.Name === "shop_api") },
    {},
  ],
  [
    "resolve-image always, one registry unreachable, no IPVS",
    shop(),
    { ...nothing, digests: { "shop/api:1.4": "shop/api:1.4@sha256:abcd", "shop/web:2.0": undefined } },
    { resolveImage: "always", hasIpvs: false },
  ],
  [
    "resolve-image changed keeps the pinned digest of an unchanged image",
    shop(),
    {
      ...upToDate,
      services: upToDate.services.map((s) => {
        const pinned = structuredClone(s);
        const c = pinned.Spec.TaskTemplate.ContainerSpec as { Image: string };
        c.Image = `${c.Image}@sha256:beef`;
        return pinned;
      }),
    },
    { resolveImage: "changed" },
  ],
];

describe("deploy plans (golden/deploy.txt)", () => {
  it("plans each observed state as the file says", () => {
    const text = states
      .map(([title, project, observed, over]) => {
        const plan = planDeploy(input(project, observed, over));
        return `## ${title}\n${formatDeploySteps(deploySteps(plan))}`;
      })
      .join("\n");
    if (UPDATE) writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, "utf8"));
  });

  it("names objects created in the same run by placeholders the executor replaces", () => {
    const plan = planDeploy(input(shop(), nothing));
    const created = plan.services[0];
    if (created?.type !== "create-service") throw new Error("expected a create");
    expect(created.spec.TaskTemplate.Networks?.[0]?.Target).toBe("<id of new network shop_default>");
    const c = created.spec.TaskTemplate.ContainerSpec as {
      Configs: { ConfigID: string; ConfigName: string }[];
    };
    expect(c.Configs[0]?.ConfigID).toBe(`<id of new config ${c.Configs[0]?.ConfigName}>`);
  });

  it("keeps the engine's force-update counter on an update", () => {
    const observed = structuredClone(upToDate);
    for (const s of observed.services) s.Spec.TaskTemplate.ForceUpdate = 3;
    const plan = planDeploy(input(shop([api, { ...web, image: "shop/web:2.1" }]), observed));
    const updated = plan.services.find((a) => a.type === "update-service");
    expect(updated?.type === "update-service" && updated.spec.TaskTemplate.ForceUpdate).toBe(3);
    expect(plan.services.map((a) => a.type)).toEqual(["keep-service", "update-service"]);
    expect(updated?.spec?.Labels[SwarmStackLabels.image]).toBe("shop/web:2.1");
  });
});
