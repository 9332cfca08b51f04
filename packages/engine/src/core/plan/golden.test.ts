import { readFileSync, writeFileSync } from "node:fs";
import type { Project, ServiceConfig } from "@berth/compose-schema";
import { describe, expect, it } from "vitest";
import { observedContainer } from "../../../../../test/helpers/observed.js";
import { projectOf } from "../../../../../test/helpers/project-of.js";
import { Labels } from "../../base/labels.js";
import type { ObservedContainer, ObservedState } from "../../base/observe.js";
import { CONFIG_DIGEST_LABEL, configDigest } from "../config-hash.js";
import { dependsOnLabel } from "../container-spec.js";
import { type DownPlanOptions, planDown } from "../down-plan.js";
import {
  type ImagePlanOptions,
  type PullPlanOptions,
  type PushPlanOptions,
  planBuild,
  planPull,
  planPush,
} from "../image-plan.js";
import { type LifecycleCommand, type LifecyclePlanOptions, planLifecycle } from "../lifecycle-plan.js";
import {
  downSteps,
  formatSpecs,
  formatSteps,
  imageSteps,
  lifecycleSteps,
  planRunSteps,
  planUpSteps,
} from "../plan-steps.js";
import { type PlanOptions, planUp } from "../plan.js";
import { type RunPlanOptions, planRun } from "../run-plan.js";
import { ruleMatcher } from "../watch/match.js";
import { type ChangeKind, planBurst } from "../watch/plan.js";
import { watchRules } from "../watch/rules.js";
import { watchBurstSteps } from "../watch/watch-steps.js";

// Plans as text, checked against golden/<command>.txt, the way docker compose tests its reconcile.
// BERTH_UPDATE_GOLDEN=1 rewrites the files; review the diff before committing it.
const UPDATE = process.env.BERTH_UPDATE_GOLDEN === "1";
const IMAGE = "sha256:1111";

const db: ServiceConfig = {
  name: "db",
  image: "postgres:16",
  volumes: [{ type: "volume", source: "data", target: "/var/lib/postgresql/data" }],
};
const api: ServiceConfig = {
  name: "api",
  image: "shop/api:latest",
  environment: { DB_HOST: "db" },
  depends_on: { db: { condition: "service_healthy", required: true, restart: true } },
};
const web: ServiceConfig = {
  name: "web",
  image: "shop/web:latest",
  depends_on: { api: { condition: "service_started", required: true } },
};
/** Joins api's network namespace: it must be recreated whenever api is. */
const sidecar: ServiceConfig = { name: "sidecar", image: "shop/web:latest", network_mode: "service:api" };

function shop(over: Partial<Record<string, Partial<ServiceConfig>>> = {}): Project {
  return projectOf(
    [db, api, web, sidecar].map((s) => ({ ...s, ...over[s.name] }) as ServiceConfig),
    {
      name: "shop",
      networks: { default: { name: "shop_default" } },
      volumes: { data: { name: "shop_data" } },
    },
  );
}

const project = shop();

/** Made from the service's config, with the labels compose and Berth put on it. */
function container(
  svc: ServiceConfig,
  number: number,
  over: Partial<ObservedContainer> = {},
): ObservedContainer {
  return observedContainer("shop", svc, number, {
    imageId: IMAGE,
    labels: {
      [Labels.project]: "shop",
      [Labels.service]: svc.name,
      [Labels.dependsOn]: dependsOnLabel(svc),
      [CONFIG_DIGEST_LABEL]: JSON.stringify(configDigest(svc)),
    },
    volumes: svc.name === "db" ? [{ name: "shop_data", target: "/var/lib/postgresql/data" }] : [],
    networks: svc.network_mode ? [] : ["shop_default"],
    ...over,
  });
}

const labelled = (key: string, kind: "network" | "volume") => ({
  [Labels.project]: "shop",
  [kind === "network" ? Labels.network : Labels.volume]: key,
});
const images = Object.fromEntries([db, api, web].map((s) => [s.image as string, IMAGE]));

function state(containers: ObservedContainer[], over: Partial<ObservedState> = {}): ObservedState {
  return {
    project: "shop",
    containers,
    networks: [
      {
        id: "n1",
        name: "shop_default",
        driver: "bridge",
        internal: false,
        options: {},
        labels: labelled("default", "network"),
      },
    ],
    volumes: [{ name: "shop_data", driver: "local", options: {}, labels: labelled("data", "volume") }],
    images,
    ...over,
  };
}

const running = [db, api, web, sidecar].map((s) => container(s, 1));
const nothing: ObservedState = { project: "shop", containers: [], networks: [], volumes: [], images };
const states: Record<string, ObservedState> = {
  nothing: nothing,
  "all up to date": state(running),
  "some stopped": state(running.map((c) => (c.service === "web" ? { ...c, state: "exited" } : c))),
  "web paused": state(running.map((c) => (c.service === "web" ? { ...c, state: "paused" } : c))),
  "image changed under the same tag": state(running, {
    images: { ...images, "shop/web:latest": "sha256:2222" },
  }),
  "an orphan": state([...running, container({ name: "old", image: "shop/old" }, 1)]),
  "an interrupted recreate": state(
    running.map((c) => (c.service === "web" ? { ...c, name: `0123456789ab_${c.name}`, state: "exited" } : c)),
  ),
  "three web replicas": state([...running, container(web, 2), container(web, 3)]),
  "no image present": { ...nothing, images: {} },
};

/** `## state (options)` then its plan, for each case; a thrown error is part of the plan's text. */
function golden<O>(
  cases: [string, O][],
  plan: (observed: ObservedState, opts: O) => string,
  show: (opts: O) => string = JSON.stringify,
  from: Record<string, ObservedState> = states,
): string {
  return cases
    .map(([name, opts]) => {
      const flags = show(opts);
      let text: string;
      try {
        text = plan(from[name], opts) || "(nothing to do)\n";
      } catch (error) {
        text = `error: ${(error as Error).message}\n`;
      }
      return `## ${name}${flags === "{}" ? "" : ` ${flags}`}\n${text}`;
    })
    .join("\n");
}

function check(command: string, text: string): void {
  const file = new URL(`./golden/${command}.txt`, import.meta.url);
  if (UPDATE) writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, "utf8"));
}

const every = Object.keys(states);
/** `build` and `push` read no state; their cases still name one, as every golden file does. */
const NO_STATE = "# planned from the compose file alone: the state below is not read\n";

// api builds its image and names it; tool builds one under compose's default name and reads api's
// image as a build context; db and web only use theirs.
const building = shop({
  api: { build: { context: "./api", tags: ["registry.local/shop/api:1"] } },
  web: { pull_policy: "missing" },
});
const tool: ServiceConfig = {
  name: "tool",
  build: { context: "./tool", additional_contexts: { api: "service:api" } },
  depends_on: { api: { condition: "service_started", required: true } },
};
const withTool: Project = { ...building, services: { ...building.services, tool } };

describe("plans as text (golden/*.txt)", () => {
  it("up", () => {
    type UpCase = [string, PlanOptions & ImagePlanOptions];
    const cases: UpCase[] = [
      ...every.map((s): UpCase => [s, {}]),
      ["all up to date", { pull: "always" }],
      ["no image present", { pull: "never" }],
      ["an orphan", { removeOrphans: true }],
      ["all up to date", { scale: { web: 3 } }],
      ["three web replicas", { scale: { web: 1 } }],
      ["all up to date", { forceRecreate: true, services: ["web"], noDeps: true }],
      ["all up to date", { services: ["web"] }],
    ];
    const changed: UpCase[] = [["all up to date", {}]];
    const builds: UpCase[] = [
      ["no image present", {}],
      ["all up to date", { build: "always", services: ["tool"], noDeps: true }],
      ["nothing", { build: "never" }],
      ["no image present", { build: "never", services: ["api"], noDeps: true }],
    ];
    check(
      "up",
      `${golden(cases, (observed, opts) => formatSteps(planUpSteps(project, observed, opts)))}\n# config changed: api's environment\n${golden(
        changed,
        (observed, opts) => {
          const edited = shop({ api: { environment: { DB_HOST: "db2" } } });
          return formatSteps(planUpSteps(edited, observed, opts));
        },
      )}\n# a dependency that must be recreated: db's config changed\n${golden(changed, (observed, opts) => {
        const edited = shop({ db: { environment: { POSTGRES_DB: "shop" } } });
        return formatSteps(planUpSteps(edited, observed, opts));
      })}\n# services that build: api (image: and build:), tool (build: reading api's image)\n${golden(
        builds,
        (observed, opts) => formatSteps(planUpSteps(withTool, observed, opts)),
      )}\n# a pre_start hook with an image of its own, pulled with the services' images\n${golden(
        [["all up to date", {}] as UpCase],
        (observed, opts) => {
          const hooked = shop({ db: { pre_start: [{ image: "shop/migrate:1", command: ["migrate"] }] } });
          return formatSteps(planUpSteps(hooked, observed, opts));
        },
      )}`,
    );
  });

  it("create", () => {
    const cases = every.map((s): [string, PlanOptions & ImagePlanOptions] => [s, { noStart: true }]);
    check(
      "create",
      golden(cases, (observed, opts) => formatSteps(planUpSteps(project, observed, opts))),
    );
  });

  for (const command of [
    "start",
    "stop",
    "restart",
    "kill",
    "pause",
    "unpause",
    "rm",
  ] as LifecycleCommand[]) {
    it(command, () => {
      const cases: [string, LifecyclePlanOptions][] = [
        ...every.map((s): [string, LifecyclePlanOptions] => [s, {}]),
        ["all up to date", { services: ["api"] }],
      ];
      if (command === "rm") cases.push(["some stopped", { stop: true, removeVolumes: true }]);
      if (command === "kill") cases.push(["all up to date", { killSignal: "SIGTERM" }]);
      check(
        command,
        golden(cases, (observed, opts) =>
          formatSteps(lifecycleSteps(planLifecycle(command, observed, opts))),
        ),
      );
    });
  }

  it("down", () => {
    const cases: [string, DownPlanOptions][] = [
      ...every.map((s): [string, DownPlanOptions] => [s, { project }]),
      ["an orphan", { project, removeOrphans: true }],
      ["an orphan", {}],
      ["all up to date", { project, volumes: true }],
      ["all up to date", { project, services: ["api"] }],
      ["all up to date", { project, services: ["web"], volumes: true }],
      ["all up to date", { project, services: ["nope"] }],
      ["all up to date", { project, rmi: "all" }],
    ];
    // Options print without the project, the same in every case but the one run without the file.
    const text = golden(
      cases,
      (observed, opts) => formatSteps(downSteps(planDown(observed, opts))),
      ({ project: file, ...rest }) => JSON.stringify(file ? rest : { ...rest, file: "none" }),
    );
    check("down", text);
  });

  it("build", () => {
    const cases: [string, { services: string[] }][] = [
      ["nothing", { services: Object.keys(withTool.services) }],
      ["nothing", { services: ["tool"] }],
      ["nothing", { services: ["db"] }],
    ];
    check(
      "build",
      NO_STATE +
        golden(cases, (_observed, { services }) => formatSteps(imageSteps(planBuild(withTool, services)))) +
        `\n# web and sidecar build the one image shop/web:latest\n${golden([["nothing", {}]], () => {
          const shared = shop({
            web: { build: { context: "./web" } },
            sidecar: { build: { context: "./web" } },
          });
          return formatSteps(imageSteps(planBuild(shared, ["web", "sidecar"])));
        })}`,
    );
  });

  it("pull", () => {
    type PullCase = [string, PullPlanOptions & { services: string[] }];
    const all = Object.keys(withTool.services);
    const cases: PullCase[] = [
      ["nothing", { services: all }],
      ["no image present", { services: all }],
      ["all up to date", { services: ["web"] }],
      ["all up to date", { services: ["web"], includeDeps: true }],
      ["no image present", { services: all, ignoreBuildable: true }],
      ["no image present", { services: ["db", "web"], ignoreFailures: true }],
      ["all up to date", { services: ["db", "web"], policy: "missing" }],
      ["all up to date", { services: ["db", "web"], policy: "always" }],
    ];
    const policies = shop({
      db: { pull_policy: "never" },
      api: { pull_policy: "build", build: { context: "./api" } },
      web: { pull_policy: "always" },
      sidecar: { image: "shop/sidecar:2", pull_policy: "if_not_present" },
    });
    const text = golden(cases, (observed, { services, ...opts }) =>
      formatSteps(imageSteps(planPull(withTool, services, observed.images, opts))),
    );
    const policyText = golden([["nothing", {}]], (observed) =>
      formatSteps(
        imageSteps(
          planPull(policies, Object.keys(policies.services), { ...observed.images, "shop/sidecar:2": IMAGE }),
        ),
      ),
    );
    check(
      "pull",
      `${text}\n# pull_policy never, build, always, if_not_present (present, not latest)\n${policyText}`,
    );
  });

  it("push", () => {
    const cases: [string, PushPlanOptions & { services: string[] }][] = [
      ["nothing", { services: Object.keys(withTool.services) }],
      ["nothing", { services: ["api"], ignoreFailures: true }],
    ];
    check(
      "push",
      NO_STATE +
        golden(cases, (_observed, { services, ...opts }) =>
          formatSteps(imageSteps(planPush(withTool, services, opts))),
        ),
    );
  });

  it("run", () => {
    type RunCase = [string, Partial<RunPlanOptions> & ImagePlanOptions & { service?: string }];
    const cases: RunCase[] = [
      ...every.map((s): RunCase => [s, {}]),
      ["nothing", { noDeps: true }],
      ["all up to date", { rm: true }],
      ["all up to date", { detach: true }],
      ["all up to date", { detach: true, rm: true }],
      ["all up to date", { name: "shop-migrate" }],
      ["nothing", { service: "sidecar" }],
      ["no image present", { pull: "never" }],
      ["all up to date", { service: "nope" }],
    ];
    check(
      "run",
      golden(cases, (observed, { service = "web", ...opts }) =>
        formatSteps(planRunSteps(project, observed, service, { slug: SLUG, ...opts })),
      ),
    );
  });

  it("watch", () => {
    // api syncs its sources, syncs its config then restarts, and rebuilds when package.json changes; web
    // reloads after a synced template. The containers run these configs.
    const watching = shop({
      api: {
        build: { context: "./api" },
        develop: {
          watch: [
            { path: "./api/src", action: "sync", target: "/app/src", ignore: ["**/*.test.js"] },
            { path: "./api/conf", action: "sync+restart", target: "/etc/api" },
            { path: "./api/package.json", action: "rebuild" },
          ],
        },
      },
      web: {
        develop: {
          watch: [
            {
              path: "./web/templates",
              action: "sync+exec",
              target: "/srv/templates",
              exec: { command: "nginx -s reload" },
            },
          ],
        },
      },
    });
    const matchers = Object.values(watching.services).flatMap((s) =>
      watchRules(watching, s).map((rule) => ruleMatcher(rule)),
    );
    const current = Object.values(watching.services).map((s) => container(s, 1));
    const watchStates: Record<string, ObservedState> = {
      "all up to date": state(current),
      "three web replicas": state([
        ...current,
        container(watching.services.web, 2),
        container(watching.services.web, 3),
      ]),
      "api stopped": state(current.map((c) => (c.service === "api" ? { ...c, state: "exited" } : c))),
      "api on an image of its own": state(
        current.map((c) => (c.service === "api" ? { ...c, imageId: "sha256:aaaa1111bbbb2222" } : c)),
      ),
    };
    type Burst = [string, ChangeKind][];
    const src = (...names: string[]): Burst => names.map((n) => [`/p/api/src/${n}`, "write"]);
    const cases: [string, Burst][] = [
      ["all up to date", src("server.js")],
      ["all up to date", [...src("server.test.js", ".server.js.swp"), ["/p/api/.git/index", "write"]]],
      ["all up to date", [...src("routes/users.js"), ["/p/api/src/old.js", "remove"]]],
      ["all up to date", src("a.js", "b.js", "c.js", "d.js", "e.js", "f.js", "g.js")],
      ["all up to date", [["/p/api/conf/api.conf", "write"]]],
      ["all up to date", [["/p/api/package.json", "write"], ...src("server.js")]],
      ["three web replicas", [["/p/web/templates/index.html", "write"]]],
      ["api stopped", src("server.js")],
    ];
    const plan = (opts: { prune?: boolean }) => (observed: ObservedState, burst: Burst) =>
      formatSteps(watchBurstSteps(watching, planBurst(matchers, new Map(burst)), observed, opts));
    const show = (burst: Burst) => `then ${burst.map(([path, kind]) => `${kind} ${path}`).join(", ")}`;
    const rebuild: Burst = [["/p/api/package.json", "write"]];
    check(
      "watch",
      `${golden(cases, plan({}), show, watchStates)}\n# --prune: the image a rebuild replaces goes, unless another container uses it\n${golden(
        [
          ["all up to date", rebuild],
          ["api on an image of its own", rebuild],
        ],
        plan({ prune: true }),
        show,
        watchStates,
      )}`,
    );
  });
});

// The create specs of the networks, volumes and containers a plan makes, for a few cases: labels,
// placeholders, carried-over volumes, stop timeouts and the one-off's own settings, as text.
const SLUG = "f00dfeed0001";
const detailStates: Record<string, ObservedState> = {
  // shop/web:latest is pulled in the run: its ID is a placeholder.
  nothing: { ...nothing, images: { "postgres:16": IMAGE, "shop/api:latest": IMAGE } },
  "db with an anonymous volume, api recreated": state(
    running.map((c) =>
      c.service === "db" ? { ...c, volumes: [...c.volumes, { name: "a1b2c3", target: "/cache" }] } : c,
    ),
  ),
  "web stopped, an orphan": state([
    ...running.map((c) => (c.service === "web" ? { ...c, state: "exited" } : c)),
    container({ name: "old", image: "shop/old" }, 1),
  ]),
};

describe("container specs in plans (golden/*-detail.txt)", () => {
  it("up", () => {
    const edited = shop({
      db: { environment: { POSTGRES_DB: "shop" } },
      api: { environment: { DB_HOST: "db2" } },
    });
    const cases: [string, PlanOptions][] = [
      ["nothing", { services: ["sidecar"] }],
      ["db with an anonymous volume, api recreated", { services: ["sidecar"] }],
      ["web stopped, an orphan", { services: ["web"], removeOrphans: true, timeoutSeconds: 3 }],
    ];
    check(
      "up-detail",
      golden(
        cases,
        (observed, opts) => {
          const plan = planUp(edited, observed, opts);
          return `${formatSteps(planUpSteps(edited, observed, opts))}${formatSpecs(plan)}`;
        },
        JSON.stringify,
        detailStates,
      ),
    );
  });

  it("run", () => {
    const cases: [string, Partial<RunPlanOptions>][] = [
      ["nothing", { detach: true, rm: true, env: { DEBUG: "1" }, command: ["sh", "-c", "echo hi"] }],
      ["db with an anonymous volume, api recreated", { attachStdin: true, tty: true, interactive: true }],
    ];
    check(
      "run-detail",
      golden(
        cases,
        (observed, opts) => formatSpecs(planRun(project, observed, "sidecar", { slug: SLUG, ...opts })),
        JSON.stringify,
        detailStates,
      ),
    );
  });
});
