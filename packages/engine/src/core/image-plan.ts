import type { Project, ServiceConfig } from "@berth/compose-schema";
import { ImageNotFoundError, NoSuchServiceError } from "../base/errors.js";
import { ServiceGraph } from "../base/graph.js";
import { schedule } from "../base/schedule.js";
import { buildReads } from "./build/build-order.js";
import {
  type BuildOption,
  type PullOption,
  decideImageAction,
  decidePull,
  serviceImage,
} from "./image-policy.js";
import { hookImageServices } from "./pre-start.js";

/**
 * One image step of a plan: `pull`, `build`, `pull-then-build` (build if the pull fails), `push`, or
 * `skip` (`pull` and `push` report what they leave alone, with the reason, as docker compose does).
 * A plan has one step per image.
 */
export interface ImageStep {
  image: string;
  service: string;
  action: "pull" | "build" | "pull-then-build" | "push" | "skip";
  reason: string;
  /**
   * The images whose steps this one waits for (`schedule`'s): a build waits for the images it reads
   * (`additional_contexts: service:NAME`) that the plan pulls or builds, a pushed tag for the tag before
   * it; every other step starts at once.
   */
  after: string[];
  /** A failure is reported as a warning and the rest goes on (`--ignore-pull-failures`, a buildable image). */
  tolerated?: boolean;
}

export interface ImagePlanOptions {
  pull?: PullOption;
  build?: BuildOption;
}

function upReason(
  service: ServiceConfig,
  action: "pull" | "build" | "pull-then-build",
  present: boolean,
  opts: ImagePlanOptions,
): string {
  const pulls =
    opts.pull === "always"
      ? "--pull always"
      : service.pull_policy === "always"
        ? "pull_policy: always"
        : undefined;
  const why = present ? undefined : "not present";
  if (action === "pull") {
    const reason = pulls ?? why ?? "pull";
    // Without --no-build this image would be built if its pull failed.
    return service.build && opts.build === "never" ? `${reason}; not built if it fails: --no-build` : reason;
  }
  if (action === "pull-then-build") return `${pulls ?? why}; built if the pull fails`;
  if (opts.build === "always") return "--build";
  return service.pull_policy === "build" ? "pull_policy: build" : (why ?? "build");
}

/** One service per image; a service that builds it is preferred, since it can both pull and build. */
function byImage(projectName: string, services: ServiceConfig[]): Map<string, ServiceConfig> {
  const groups = new Map<string, ServiceConfig>();
  for (const service of services) {
    const image = serviceImage(projectName, service);
    const current = groups.get(image);
    if (!current || (!current.build && service.build)) groups.set(image, service);
  }
  return groups;
}

function lookup(project: Project, names: readonly string[]): ServiceConfig[] {
  return names.map((name) => {
    const service = project.services[name];
    if (!service) throw new NoSuchServiceError(name);
    return service;
  });
}

type UnorderedStep = Omit<ImageStep, "after">;

/** The images a service's build reads (`buildReads`' services), as the keys of their steps. */
function readImages(project: Project, reads: Map<string, string[]>, service: string): string[] {
  return (reads.get(service) ?? []).map((dep) => serviceImage(project.name, project.services[dep]));
}

/**
 * The steps with what each waits for, from the one scheduler (`needs`: each image → the images it needs
 * first; one the plan has no step for is not waited for), in the order they can start: by how many steps
 * they wait behind, and in the plan's (the services') order among equals.
 */
function scheduled(steps: UnorderedStep[], needs: Map<string, string[]> = new Map()): ImageStep[] {
  const order = schedule(
    steps.map((s) => s.image),
    needs,
    "dependencies-first",
  );
  // schedule's order puts what a step waits for before it, so one pass finds each one's depth.
  const depth = new Map<string, number>();
  for (const [image, after] of order)
    depth.set(image, Math.max(-1, ...after.map((a) => depth.get(a) ?? 0)) + 1);
  return steps
    .map((s) => ({ ...s, after: order.get(s.image) ?? [] }))
    .sort((a, b) => (depth.get(a.image) ?? 0) - (depth.get(b.image) ?? 0));
}

/**
 * What `up`, `create` and `run` pull or build before they create containers, one step per image, from
 * the images present (`present`: reference → ID): `decideImageAction` for each. An image that is there
 * and needs nothing gets no step. Throws for an image that is absent and may be neither pulled nor built.
 */
export function planImages(
  project: Project,
  services: readonly string[],
  present: Record<string, string>,
  opts: ImagePlanOptions = {},
): ImageStep[] {
  return planFor(project, lookup(project, services), present, opts);
}

function planFor(
  project: Project,
  services: ServiceConfig[],
  present: Record<string, string>,
  opts: ImagePlanOptions,
): ImageStep[] {
  const reads = buildReads(
    project,
    services.map((s) => s.name),
  );
  const steps: UnorderedStep[] = [];
  const needs = new Map<string, string[]>();
  for (const [image, service] of byImage(project.name, services)) {
    const exists = image in present;
    const action = decideImageAction(service, exists, opts);
    if (action === "missing") throw new ImageNotFoundError(service.name, image);
    if (action === "none") continue;
    const reason = upReason(service, action, exists, opts);
    steps.push({ image, service: service.name, action, reason });
    // A pull needs nothing; a build needs the images it reads.
    if (action !== "pull") needs.set(image, readImages(project, reads, service.name));
  }
  return scheduled(steps, needs);
}

/** The images `up` needs for `services`: theirs and their pre_start hooks' own, pulled with them. */
export function upImageReferences(project: Project, services: readonly string[]): string[] {
  return [...lookup(project, services), ...hookImageServices(project, services)].map((s) =>
    serviceImage(project.name, s),
  );
}

/** `planImages` for `up`: the services' images and their pre_start hooks' images. */
export function planUpImages(
  project: Project,
  services: readonly string[],
  present: Record<string, string>,
  opts: ImagePlanOptions = {},
): ImageStep[] {
  return planFor(
    project,
    [...lookup(project, services), ...hookImageServices(project, services)],
    present,
    opts,
  );
}

export interface PullPlanOptions {
  /** `--include-deps`: also the services the named ones depend on. */
  includeDeps?: boolean;
  /** Leave images that a service can build (`--ignore-buildable`). */
  ignoreBuildable?: boolean;
  /** `--ignore-pull-failures`: every failure is only a warning. */
  ignoreFailures?: boolean;
  /** `--policy`: the pull_policy of every service that has `image:` (and so of its hooks' images). */
  policy?: "missing" | "always";
}

/** The project with `--policy` as the pull_policy of every service that names an image, as compose does. */
function withPolicy(project: Project, policy: PullPlanOptions["policy"]): Project {
  if (!policy) return project;
  const services = Object.entries(project.services).map(([name, s]) => [
    name,
    s.image ? { ...s, pull_policy: policy } : s,
  ]);
  return { ...project, services: Object.fromEntries(services) };
}

/** The services `pull` acts on: those named, and with `--include-deps` what they depend on. */
export function pullScope(
  project: Project,
  services: readonly string[],
  opts: PullPlanOptions,
): readonly string[] {
  return opts.includeDeps ? new ServiceGraph(project).withDependencies(services) : services;
}

/**
 * `pull`, as docker compose's: each service's image and its pre_start hooks' images, once per image,
 * under `decidePull`; a service without `image:` is skipped. A failed pull of an image the service can
 * build is only a warning, like every failure with `ignoreFailures`.
 */
export function planPull(
  project: Project,
  services: readonly string[],
  present: Record<string, string>,
  opts: PullPlanOptions = {},
): ImageStep[] {
  const names = pullScope(project, services, opts);
  const policed = withPolicy(project, opts.policy);
  const steps: UnorderedStep[] = [];
  for (const [image, service] of byImage(project.name, [
    ...lookup(policed, names),
    ...hookImageServices(policed, names),
  ])) {
    const step = { image, service: service.name };
    if (!service.image) {
      steps.push({ ...step, action: "skip", reason: "no image: to pull" });
      continue;
    }
    const decided = decidePull(service, image in present);
    const { pull } = decided;
    const reason = opts.policy === "always" ? "--policy always" : decided.reason;
    if (!pull) steps.push({ ...step, action: "skip", reason });
    else if (service.build && opts.ignoreBuildable)
      steps.push({ ...step, action: "skip", reason: "can be built: --ignore-buildable" });
    else {
      const tolerated = Boolean(opts.ignoreFailures || service.build);
      const note = opts.ignoreFailures
        ? "; a failure only warns: --ignore-pull-failures"
        : service.build
          ? "; a failure only warns: it can be built"
          : "";
      steps.push({ ...step, action: "pull", reason: reason + note, ...(tolerated ? { tolerated } : {}) });
    }
  }
  return scheduled(steps);
}

/**
 * `build`: every named service that has `build:`, and the services whose images their builds read
 * (`additional_contexts: service:NAME`), each build after those it reads. Always builds, as compose's `build`.
 */
export function planBuild(project: Project, services: readonly string[]): ImageStep[] {
  const named = new Set(services);
  const reads = buildReads(
    project,
    lookup(project, services).map((s) => s.name),
  );
  const readers = (name: string) => [...reads].filter(([, read]) => read.includes(name)).map(([s]) => s);
  const steps: UnorderedStep[] = [];
  const needs = new Map<string, string[]>();
  for (const name of reads.keys()) {
    const image = serviceImage(project.name, project.services[name]);
    // Services that build one image build it once.
    if (needs.has(image)) continue;
    needs.set(image, readImages(project, reads, name));
    const reason = named.has(name) ? "build:" : `read by the build of ${readers(name).join(", ")}`;
    steps.push({ image, service: name, action: "build", reason });
  }
  return scheduled(steps, needs);
}

export interface PushPlanOptions {
  /** `--ignore-push-failures`: every failure is only a warning. */
  ignoreFailures?: boolean;
}

/**
 * `push`, as docker compose v5's: a service that builds its image and names it (`build:` and `image:`)
 * pushes `image:` and its `build.tags`; every other service is skipped, with the reason.
 */
export function planPush(
  project: Project,
  services: readonly string[],
  opts: PushPlanOptions = {},
): ImageStep[] {
  const steps: UnorderedStep[] = [];
  const needs = new Map<string, string[]>();
  const pushed = new Set<string>();
  for (const service of lookup(project, services)) {
    const step = { service: service.name };
    if (!service.build || !service.image) {
      const image = serviceImage(project.name, service);
      const reason = service.build ? "no image: to push to" : "no build:, not the project's image";
      // One line per image, as for pushes: services that share an image share its reason.
      if (!pushed.has(image)) steps.push({ ...step, image, action: "skip", reason });
      pushed.add(image);
      continue;
    }
    const tags = [service.image, ...(service.build.tags ?? [])].filter((t) => !pushed.has(t));
    for (const [i, tag] of tags.entries()) {
      // One image's tags go one after another: pushed at once, the same layers race in the registry.
      if (i > 0) needs.set(tag, [tags[i - 1]]);
      pushed.add(tag);
      const tolerated = opts.ignoreFailures ? { tolerated: true } : {};
      const note = opts.ignoreFailures ? "; a failure only warns: --ignore-push-failures" : "";
      const reason = (tag === service.image ? "image:" : "build.tags") + note;
      steps.push({ ...step, image: tag, action: "push", reason, ...tolerated });
    }
  }
  return scheduled(steps, needs);
}
