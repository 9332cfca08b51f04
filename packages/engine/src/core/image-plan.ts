import type { Project, ServiceConfig } from "@berth/compose-schema";
import { ImageNotFoundError, NoSuchServiceError } from "../base/errors.js";
import { ServiceGraph } from "../base/graph.js";
import { buildWaves, serviceContexts } from "./build/build-order.js";
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
 */
export interface ImageStep {
  image: string;
  service: string;
  action: "pull" | "build" | "pull-then-build" | "push" | "skip";
  reason: string;
  /**
   * Steps run wave after wave, each wave in parallel: a build that reads another service's image
   * (`additional_contexts: service:NAME`) comes in a wave after that image's build, and the tags of one
   * pushed image come one wave after another; all else is in 0.
   */
  wave: number;
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

/** The wave of each service that builds, from `buildWaves`. */
function waveOf(project: Project, services: ServiceConfig[]): (service: ServiceConfig) => number {
  const waves = buildWaves(
    project,
    services.filter((s) => s.build).map((s) => s.name),
  );
  const level = new Map(waves.flatMap((names, i) => names.map((n) => [n, i] as const)));
  return (service) => level.get(service.name) ?? 0;
}

/** In the order they run: wave after wave. */
function inWaveOrder(steps: ImageStep[]): ImageStep[] {
  return steps
    .map((s, i) => [s, i] as const)
    .sort(([a, i], [b, j]) => a.wave - b.wave || i - j)
    .map(([s]) => s);
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
  const wave = waveOf(project, services);
  const steps: ImageStep[] = [];
  for (const [image, service] of byImage(project.name, services)) {
    const exists = image in present;
    const action = decideImageAction(service, exists, opts);
    if (action === "missing") throw new ImageNotFoundError(service.name, image);
    if (action === "none") continue;
    const reason = upReason(service, action, exists, opts);
    steps.push({ image, service: service.name, action, reason, wave: action === "pull" ? 0 : wave(service) });
  }
  return inWaveOrder(steps);
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
  const steps: ImageStep[] = [];
  for (const [image, service] of byImage(project.name, [
    ...lookup(policed, names),
    ...hookImageServices(policed, names),
  ])) {
    const step = { image, service: service.name, wave: 0 };
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
  return steps;
}

/**
 * `build`: every named service that has `build:`, and the services whose images their builds read
 * (`additional_contexts: service:NAME`), in the waves those need. Always builds, as compose's `build`.
 */
export function planBuild(project: Project, services: readonly string[]): ImageStep[] {
  const named = new Set(services);
  const waves = buildWaves(
    project,
    lookup(project, services)
      .filter((s) => s.build)
      .map((s) => s.name),
  );
  const building = waves.flat();
  const readers = (name: string) => building.filter((s) => serviceContexts(project, s).includes(name));
  const steps: ImageStep[] = [];
  const planned = new Set<string>();
  for (const [wave, names] of waves.entries()) {
    for (const name of names) {
      const image = serviceImage(project.name, project.services[name]);
      // Services that build one image build it once.
      if (planned.has(image)) continue;
      planned.add(image);
      const reason = named.has(name) ? "build:" : `read by the build of ${readers(name).join(", ")}`;
      steps.push({ image, service: name, action: "build", reason, wave });
    }
  }
  return steps;
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
  const steps: ImageStep[] = [];
  const pushed = new Set<string>();
  for (const service of lookup(project, services)) {
    const step = { service: service.name };
    if (!service.build || !service.image) {
      const image = serviceImage(project.name, service);
      const reason = service.build ? "no image: to push to" : "no build:, not the project's image";
      // One line per image, as for pushes: services that share an image share its reason.
      if (!pushed.has(image)) steps.push({ ...step, image, action: "skip", reason, wave: 0 });
      pushed.add(image);
      continue;
    }
    const tags = [service.image, ...(service.build.tags ?? [])].filter((t) => !pushed.has(t));
    for (const [i, tag] of tags.entries()) {
      pushed.add(tag);
      const tolerated = opts.ignoreFailures ? { tolerated: true } : {};
      const note = opts.ignoreFailures ? "; a failure only warns: --ignore-push-failures" : "";
      const reason = (tag === service.image ? "image:" : "build.tags") + note;
      // One image's tags go one after another: pushed at once, the same layers race in the registry.
      steps.push({ ...step, image: tag, action: "push", reason, wave: i, ...tolerated });
    }
  }
  return steps;
}
