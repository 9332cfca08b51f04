import type { Project } from "@berth/compose-schema";
import type { EngineEvent, ResourceKind } from "../base/events.js";
import { ServiceGraph } from "../base/graph.js";
import { containerName } from "../base/names.js";
import type { ObservedState } from "../base/observe.js";
import type { ContainerSpec } from "./container-spec.js";
import type { DownPlan } from "./down-plan.js";
import { type ImagePlanOptions, type ImageStep, planUpImages } from "./image-plan.js";
import type { LifecyclePlan } from "./lifecycle-plan.js";
import {
  type ContainerAction,
  type InheritedVolume,
  type Plan,
  type PlanOptions,
  planUp,
  servicesInScope,
} from "./plan.js";
import { type RunPlanOptions, planRun } from "./run-plan.js";

/**
 * One thing a plan will do, in the words the real run reports when it is done (`Created`, `Started`,
 * `Removed`…), so that a dry run and the real run can be compared step by step.
 */
export interface PlannedStep {
  kind: ResourceKind;
  name: string;
  service?: string;
  action: string;
  reason: string;
  /** Something the real run reports as a warning rather than an action (a network still in use). */
  warning?: boolean;
}

function containerSteps(project: Project, plan: Plan, a: ContainerAction): PlannedStep[] {
  const service = a.service;
  const started = (name: string, reason: string): PlannedStep[] =>
    plan.start ? [{ kind: "container", name, service, action: "Started", reason }] : [];
  // A new or recreated container takes the service's name, also after a recreate left the old one aside.
  const named = (number: number) =>
    containerName(project.name, service, number, project.services[service]?.container_name);
  switch (a.type) {
    case "create": {
      const name = named(a.number);
      return [
        { kind: "container", name, service, action: "Created", reason: a.reason },
        ...started(name, "created"),
      ];
    }
    case "recreate": {
      const name = named(a.number);
      return [
        { kind: "container", name, service, action: "Recreated", reason: a.reason },
        ...started(name, "recreated"),
      ];
    }
    case "start":
      return [{ kind: "container", name: a.container.name, service, action: "Started", reason: a.reason }];
    case "keep":
      return [{ kind: "container", name: a.container.name, service, action: a.shown, reason: "up to date" }];
    case "restart":
      return [{ kind: "container", name: a.container.name, service, action: "Restarted", reason: a.reason }];
    case "remove":
      return [{ kind: "container", name: a.container.name, service, action: "Removed", reason: a.reason }];
    case "run": {
      const step = (action: string, reason: string): PlannedStep => ({
        kind: "container",
        name: a.name,
        service,
        action,
        reason,
      });
      // Attached, it starts with its output and shows no progress; --rm then removes it when it exits.
      // Detached with --rm, the engine removes it later (AutoRemove).
      return [
        step("Created", a.reason),
        ...(a.detach ? [step("Started", "--detach")] : []),
        ...(a.remove && !a.detach ? [step("Removed", "--rm, once it exits")] : []),
      ];
    }
  }
}

const IMAGE_DONE: Record<ImageStep["action"], string> = {
  pull: "Pulled",
  build: "Built",
  "pull-then-build": "Pulled",
  push: "Pushed",
  skip: "Skipped",
};

/** The steps of an image plan (`up`'s images, `build`, `pull`, `push`), in the order they run. */
export function imageSteps(images: ImageStep[]): PlannedStep[] {
  return images.map((i) => ({
    kind: "image",
    name: i.image,
    service: i.service,
    action: IMAGE_DONE[i.action],
    reason: i.after.length > 0 ? `${i.reason}; waits for ${i.after.join(", ")}` : i.reason,
  }));
}

/**
 * The steps of `up` (and `create`), in the order it acts: images, networks, volumes, orphans, then
 * services.
 */
export function upSteps(project: Project, plan: Plan, images: ImageStep[] = []): PlannedStep[] {
  return [
    ...imageSteps(images),
    ...plan.warnings.map(
      (w): PlannedStep => ({
        kind: "project",
        name: plan.project,
        action: "Warning",
        reason: w,
        warning: true,
      }),
    ),
    ...plan.networks.map(
      (n): PlannedStep => ({ kind: "network", name: n.config.name, action: "Created", reason: "missing" }),
    ),
    ...plan.volumes.map(
      (v): PlannedStep => ({ kind: "volume", name: v.config.name, action: "Created", reason: "missing" }),
    ),
    ...plan.orphans.map(
      ({ container: c }): PlannedStep => ({
        kind: "container",
        name: c.name,
        service: c.service,
        action: "Removed",
        reason: "orphan (--remove-orphans)",
      }),
    ),
    ...plan.services.flatMap((s) => s.actions.flatMap((a) => containerSteps(project, plan, a))),
  ];
}

/** The whole of what `up` would do from `observed`: its images, then its plan. Pure. */
export function planUpSteps(
  project: Project,
  observed: ObservedState,
  opts: PlanOptions & ImagePlanOptions = {},
): PlannedStep[] {
  const images = planUpImages(
    project,
    servicesInScope(project, new ServiceGraph(project), opts),
    observed.images,
    opts,
  );
  return upSteps(project, planUp(project, observed, opts), images);
}

/** The whole of what `run` would do from `observed`: its images, then its plan. Pure. */
export function planRunSteps(
  project: Project,
  observed: ObservedState,
  service: string,
  opts: RunPlanOptions & ImagePlanOptions,
): PlannedStep[] {
  const scope = servicesInScope(project, new ServiceGraph(project), {
    services: [service],
    noDeps: opts.noDeps,
  });
  const images = planUpImages(project, scope, observed.images, opts);
  return upSteps(project, planRun(project, observed, service, opts), images);
}

/** The steps of `start`, `stop`, `restart`, `kill`, `pause`, `unpause` or `rm`, in their order. */
export function lifecycleSteps(plan: LifecyclePlan): PlannedStep[] {
  return plan.services
    .flatMap((s) => s.steps)
    .map(({ container: c, action, reason }) => ({
      kind: "container",
      name: c.name,
      service: c.service,
      action,
      reason,
    }));
}

/** The steps of `down`: containers, then what is kept, networks, volumes and images. */
export function downSteps(plan: DownPlan): PlannedStep[] {
  return [
    ...plan.services.flatMap((s) =>
      s.steps.map(
        ({ container: c, action, reason }): PlannedStep => ({
          kind: "container",
          name: c.name,
          service: c.service,
          action,
          reason,
        }),
      ),
    ),
    ...plan.kept.map(
      (k): PlannedStep => ({
        kind: k.kind,
        name: k.name,
        action: "Resource is still in use",
        reason: k.reason,
        warning: true,
      }),
    ),
    ...plan.networks.map(
      (n): PlannedStep => ({ kind: "network", name: n.name, action: "Removed", reason: n.reason }),
    ),
    ...plan.volumes.map(
      (v): PlannedStep => ({ kind: "volume", name: v.name, action: "Removed", reason: v.reason }),
    ),
    ...plan.images.map(
      (i): PlannedStep => ({ kind: "image", name: i.name, action: "Removed", reason: i.reason }),
    ),
  ];
}

/** A step as an event for the progress renderers: status `planned` (or `warning`), the reason as detail. */
export function plannedEvent(step: PlannedStep): EngineEvent {
  const { kind, name, service, action, reason, warning } = step;
  return { kind, name, service, action, status: warning ? "warning" : "planned", detail: reason };
}

/** A plan as text, one step a line: what golden tests compare and what a reader checks by eye. */
export function formatSteps(steps: PlannedStep[]): string {
  const kind = (k: ResourceKind) => k.charAt(0).toUpperCase() + k.slice(1);
  return steps.map((s) => `${kind(s.kind)} ${s.name}  ${s.action}  (${s.reason})\n`).join("");
}

/**
 * The create body of each network, volume and container a plan makes, as the engine receives it (a
 * placeholder reads `<ID of …>`), and how long each container stopped gets: what the detailed golden files
 * check as text, labels, carried-over volumes and a start's stale-task replacement included.
 */
export function formatSpecs(plan: Plan): string {
  const indent = (text: string) => text.replace(/^/gm, "  ");
  const json = (value: unknown) => `${indent(JSON.stringify(value, null, 2))}\n`;
  const stops = (timeout: number | undefined) =>
    timeout === undefined ? "" : `  stops within ${timeout}s\n`;
  const container = (spec: ContainerSpec, what: string, before = "") => {
    const extra = spec.extraNetworks.length
      ? `  then joins ${indent(JSON.stringify(spec.extraNetworks, null, 2)).trimStart()}\n`
      : "";
    return `Container ${spec.name} (${what})\n${before}${json(spec.options)}${extra}`;
  };
  const carried = (volumes: InheritedVolume[]) =>
    volumes.map((v) => `  carries over volume ${v.name} at ${v.target}\n`).join("");
  return [
    ...plan.networks.map((n) => `Network ${n.config.name} (create)\n${json(n.spec)}`),
    ...plan.volumes.map((v) => `Volume ${v.config.name} (create)\n${json(v.spec)}`),
    ...plan.orphans.flatMap(({ container: c, stopTimeout }) =>
      stopTimeout === undefined ? [] : [`Container ${c.name} (remove orphan)\n${stops(stopTimeout)}`],
    ),
    ...plan.services
      .flatMap((s) => s.actions)
      .flatMap((a) => {
        switch (a.type) {
          case "create":
          case "run":
            return [container(a.spec, a.type)];
          case "recreate":
            return [container(a.spec, a.type, `${stops(a.stopTimeout)}${carried(a.inheritedVolumes)}`)];
          case "start":
            return [
              container(
                a.replaceIfStale.spec,
                `replaces ${a.container.name} if its start finds a stale task`,
                carried(a.replaceIfStale.inheritedVolumes),
              ),
            ];
          case "restart":
          case "remove":
            return a.stopTimeout === undefined
              ? []
              : [`Container ${a.container.name} (${a.type})\n${stops(a.stopTimeout)}`];
          case "keep":
            return [];
        }
      }),
  ].join("");
}
