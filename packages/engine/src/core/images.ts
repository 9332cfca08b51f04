import type { Project, ServiceConfig } from "@berth/compose-schema";
import type Docker from "dockerode";
import { engineMessage, statusCode } from "../base/engine-response.js";
import { AbortedError, EngineError, ImageNotFoundError, NoSuchServiceError } from "../base/errors.js";
import type { EngineEvent, EventListener } from "../base/events.js";
import { Labels } from "../base/labels.js";
import { defaultImageName } from "../base/names.js";
import { defaultParallel, runLimited } from "../base/parallel.js";
import { registryAuth, registryOf } from "../base/registry-auth.js";
import { buildWaves } from "./build/build-order.js";
import type { BuilderChoice } from "./build/builder-kind.js";
import { BuildErrorCodes } from "./build/errors.js";
import { type PreparedBuild, prepareBuilds, selectBuilder } from "./build/prepare.js";
import type { BuildRunOptions } from "./build/query.js";
import { runBuild } from "./build/run-build.js";
import {
  type BuildOption,
  type ImageAction,
  type PullOption,
  decideImageAction,
  serviceImage,
  splitImageRef,
} from "./image-policy.js";
import { PULL, PUSH, type ProgressMessage, followStream, reported } from "./image-stream.js";

export { ImageBuildError } from "./build/errors.js";
export type { BuildRunOptions } from "./build/query.js";

export const ImageErrorCodes = {
  buildFailed: BuildErrorCodes.buildFailed,
  pullFailed: "IMAGE_PULL_FAILED",
  pushFailed: "IMAGE_PUSH_FAILED",
} as const;

export class ImagePullError extends EngineError {
  constructor(
    readonly service: string,
    readonly image: string,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(
      ImageErrorCodes.pullFailed,
      `service ${service}: pulling image ${image} failed: ${reason.trim()}`,
      options,
    );
  }
}

export class ImagePushError extends EngineError {
  constructor(
    readonly service: string,
    readonly image: string,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(
      ImageErrorCodes.pushFailed,
      `service ${service}: pushing image ${image} failed: ${reason.trim()}`,
      options,
    );
  }
}

export interface ImageOptions {
  /** `--pull`; `policy` (the default) follows each service's `pull_policy`. */
  pull?: PullOption;
  /** `--build` (`always`), `--no-build` (`never`); `auto` builds what is missing or has `pull_policy: build`. */
  build?: BuildOption;
  /** Report only the start and end of each pull or build, no progress. */
  quiet?: boolean;
  /** How many pulls and builds run at once (default `COMPOSE_PARALLEL_LIMIT` or 16, as `up`). */
  parallel?: number;
  signal?: AbortSignal;
}

/**
 * Makes sure the images of the given services are on the engine, pulling and building as their
 * `pull_policy` and the options say. Services sharing an image are handled once.
 */
export async function ensureImages(
  docker: Docker,
  project: Project,
  serviceNames: string[],
  opts: ImageOptions = {},
  onEvent?: EventListener,
): Promise<void> {
  const groups = [...groupByImage(project, serviceNames)];
  const limit = opts.parallel ?? defaultParallel();
  const actions = new Map<string, ImageAction>();
  await runLimited(groups, limit, opts.signal, async ([image, service]) => {
    actions.set(image, decideImageAction(service, await imageExists(docker, image), opts));
  });
  const toBuild = groups.filter(([image]) => ["build", "pull-then-build"].includes(actions.get(image) ?? ""));
  const builds = await checkedBuilds(docker, project, toBuild, onEvent);
  for (const wave of inWaves(project, groups)) {
    await runLimited(wave, limit, opts.signal, ([image, service]) =>
      perform(docker, project, service, image, actions.get(image) ?? "none", builds, opts, onEvent),
    );
  }
}

/** The builder and every build checked, before anything is pulled or built. */
interface CheckedBuilds {
  builder: BuilderChoice;
  byImage: Map<string, PreparedBuild>;
}

async function checkedBuilds(
  docker: Docker,
  project: Project,
  groups: [string, ServiceConfig][],
  onEvent?: EventListener,
): Promise<CheckedBuilds | undefined> {
  if (groups.length === 0) return undefined;
  const builder = await selectBuilder(docker, project, onEvent);
  const targets = groups.map(([image, service]) => ({ image, service }));
  const prepared = await prepareBuilds(docker, project, builder, targets);
  return { builder, byImage: new Map(prepared.map((p) => [p.image, p])) };
}

/**
 * The groups in the order their builds need: a build that reads another service's image
 * (`additional_contexts: service:NAME`) runs in a later wave; the rest run in the first.
 */
function inWaves(project: Project, groups: [string, ServiceConfig][]): [string, ServiceConfig][][] {
  const waves = buildWaves(
    project,
    groups.map(([, s]) => s.name),
  );
  const level = new Map(waves.flatMap((names, i) => names.map((n) => [n, i] as const)));
  const out: [string, ServiceConfig][][] = [];
  for (const group of groups) {
    const i = level.get(group[1].name) ?? 0;
    out[i] = [...(out[i] ?? []), group];
  }
  return out.filter(Boolean);
}

/**
 * `pull`: pulls the images of services that have `image:`. A service that can build its image only gets
 * a warning when the pull fails, as with compose; `ignoreFailures` makes every failure a warning.
 */
export async function pullImages(
  docker: Docker,
  project: Project,
  serviceNames: string[],
  opts: {
    quiet?: boolean;
    parallel?: number;
    signal?: AbortSignal;
    /** Skip services that have `build:`. */
    ignoreBuildable?: boolean;
    ignoreFailures?: boolean;
  } = {},
  onEvent?: EventListener,
): Promise<void> {
  const names = serviceNames.filter((name) => {
    const service = lookup(project, name);
    return service.image !== undefined && !(opts.ignoreBuildable && service.build);
  });
  await runLimited(
    [...groupByImage(project, names)],
    opts.parallel ?? defaultParallel(),
    opts.signal,
    async ([image, service]) => {
      const fallback = opts.ignoreFailures || service.build !== undefined;
      try {
        await pull(docker, service, image, { ...opts, fallback }, onEvent);
      } catch (err) {
        if (!fallback || err instanceof AbortedError) throw err;
      }
    },
  );
}

/** `build`: builds every given service that has `build:`. */
export async function buildImages(
  docker: Docker,
  project: Project,
  serviceNames: string[],
  opts: { quiet?: boolean; parallel?: number; signal?: AbortSignal } & BuildRunOptions = {},
  onEvent?: EventListener,
): Promise<void> {
  const names = serviceNames.filter((name) => lookup(project, name).build !== undefined);
  // Images another build reads (`service:NAME`) are built too, first.
  const groups = [...groupByImage(project, buildWaves(project, names).flat())];
  const builds = await checkedBuilds(docker, project, groups, onEvent);
  if (!builds) return;
  for (const wave of inWaves(project, groups)) {
    await runLimited(wave, opts.parallel ?? defaultParallel(), opts.signal, ([image, service]) =>
      build(docker, project, service, image, builds, opts, onEvent),
    );
  }
}

/** `push`: pushes the `image:` of every given service that builds it. */
export async function pushImages(
  docker: Docker,
  project: Project,
  serviceNames: string[],
  onEvent?: EventListener,
  opts: { quiet?: boolean; signal?: AbortSignal } = {},
): Promise<void> {
  for (const name of serviceNames) {
    const service = lookup(project, name);
    if (!service.build || !service.image) continue;
    await push(docker, service, service.image, opts, onEvent);
  }
}

/**
 * The images `down --rmi` removes: `local`, those built under compose's default name (services with
 * `build:` and no `image:`); `all`, every image the services use. From a project name alone they are
 * read off the project's containers, so collect them before removing the containers.
 */
export async function projectImagesToRemove(
  docker: Docker,
  project: Project | string,
  mode: "local" | "all",
): Promise<string[]> {
  return [
    ...(typeof project === "string"
      ? await imagesOfContainers(docker, project, mode)
      : imagesOf(project, mode)),
  ];
}

/** `down --rmi`: removes the images; one that is absent is skipped, one still in use is a warning. */
export async function removeImages(docker: Docker, images: string[], onEvent?: EventListener): Promise<void> {
  for (const image of images) {
    try {
      await docker.getImage(image).remove();
      onEvent?.({ kind: "image", name: image, action: "Removed", status: "done" });
    } catch (err) {
      if (statusCode(err) === 404) continue;
      onEvent?.({
        kind: "image",
        name: image,
        action: "Remove",
        status: "warning",
        detail: engineMessage(err),
      });
    }
  }
}

/** Both steps at once, for a project whose containers are already gone. */
export async function removeProjectImages(
  docker: Docker,
  project: Project,
  mode: "local" | "all",
  onEvent?: EventListener,
): Promise<void> {
  await removeImages(docker, await projectImagesToRemove(docker, project, mode), onEvent);
}

function imagesOf(project: Project, mode: "local" | "all"): Set<string> {
  const images = new Set<string>();
  for (const service of Object.values(project.services)) {
    if (mode === "all" || (service.build && !service.image)) images.add(serviceImage(project.name, service));
  }
  return images;
}

/** Without the compose file, the images are those the project's containers were created from. */
async function imagesOfContainers(
  docker: Docker,
  projectName: string,
  mode: "local" | "all",
): Promise<Set<string>> {
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`${Labels.project}=${projectName}`] },
  });
  const images = new Set<string>();
  for (const c of containers) {
    const service = c.Labels[Labels.service];
    const local =
      service !== undefined && c.Image.replace(/:latest$/, "") === defaultImageName(projectName, service);
    if (mode === "all" || local) images.add(c.Image);
  }
  return images;
}

function lookup(project: Project, name: string): ServiceConfig {
  const service = project.services[name];
  if (!service) throw new NoSuchServiceError(name);
  return service;
}

/** One entry per image; a service that builds it is preferred, since it can both pull and build. */
function groupByImage(project: Project, serviceNames: string[]): Map<string, ServiceConfig> {
  const groups = new Map<string, ServiceConfig>();
  for (const name of serviceNames) {
    const service = lookup(project, name);
    const image = serviceImage(project.name, service);
    const current = groups.get(image);
    if (!current || (!current.build && service.build)) groups.set(image, service);
  }
  return groups;
}

async function perform(
  docker: Docker,
  project: Project,
  service: ServiceConfig,
  image: string,
  action: ImageAction,
  builds: CheckedBuilds | undefined,
  opts: ImageOptions,
  onEvent?: EventListener,
): Promise<void> {
  switch (action) {
    case "none":
      return;
    case "missing":
      throw new ImageNotFoundError(service.name, image);
    case "pull":
      return pull(docker, service, image, opts, onEvent);
    case "build":
      return build(docker, project, service, image, builds, opts, onEvent);
    case "pull-then-build":
      try {
        await pull(docker, service, image, { ...opts, fallback: true }, onEvent);
        return;
      } catch (err) {
        if (err instanceof AbortedError) throw err;
        // Compose tolerates a failed pull for a service that can build its image instead.
        return build(docker, project, service, image, builds, opts, onEvent);
      }
  }
}

async function imageExists(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (err) {
    if (statusCode(err) === 404) return false;
    throw err;
  }
}

/** `fallback`: a failure is only a warning, because the caller builds the image instead. */
async function pull(
  docker: Docker,
  service: ServiceConfig,
  image: string,
  opts: { quiet?: boolean; signal?: AbortSignal; fallback?: boolean },
  onEvent?: EventListener,
): Promise<void> {
  const base = { kind: "image", name: image, service: service.name } as const;
  await reported(
    base,
    PULL,
    opts.signal,
    onEvent,
    async () => {
      const authconfig = await registryAuth(image);
      // The signal also cancels the request itself: the engine sends no headers while a registry hangs.
      const stream = await docker.pull(image, {
        ...(authconfig ? { authconfig } : {}),
        abortSignal: opts.signal,
      });
      await followStream(docker, stream, opts.signal, (msg) => {
        if (!opts.quiet && msg.status)
          onEvent?.({ ...base, action: "Pulling", status: "progress", progress: layerProgress(msg) });
      });
    },
    (err) => ({
      error: new ImagePullError(service.name, image, engineMessage(err), { cause: err }),
      status: opts.fallback ? "warning" : "error",
    }),
  );
}

async function push(
  docker: Docker,
  service: ServiceConfig,
  image: string,
  opts: { quiet?: boolean; signal?: AbortSignal },
  onEvent?: EventListener,
): Promise<void> {
  const base = { kind: "image", name: image, service: service.name } as const;
  const { repository, tag } = splitImageRef(image);
  await reported(
    base,
    PUSH,
    opts.signal,
    onEvent,
    async () => {
      // The push endpoint insists on an X-Registry-Auth header, even an empty one for registries without auth.
      const authconfig = (await registryAuth(image)) ?? {
        username: "",
        password: "",
        serveraddress: registryOf(image),
      };
      const stream = await docker
        .getImage(repository)
        .push({ tag: tag ?? "latest", authconfig, abortSignal: opts.signal });
      await followStream(docker, stream, opts.signal, (msg) => {
        if (!opts.quiet && msg.status)
          onEvent?.({ ...base, action: "Pushing", status: "progress", progress: layerProgress(msg) });
      });
    },
    (err) => ({ error: new ImagePushError(service.name, image, engineMessage(err), { cause: err }) }),
  );
}

function build(
  docker: Docker,
  project: Project,
  service: ServiceConfig,
  image: string,
  builds: CheckedBuilds | undefined,
  run: { quiet?: boolean; signal?: AbortSignal } & BuildRunOptions,
  onEvent?: EventListener,
): Promise<void> {
  const prepared = builds?.byImage.get(image);
  // checkedBuilds prepares every image whose action may build.
  if (!builds || !prepared) throw new Error(`internal: the build of ${image} was not checked`);
  return runBuild(docker, { project, ...prepared, builder: builds.builder.kind, run }, onEvent);
}

function layerProgress(msg: ProgressMessage): EngineEvent["progress"] {
  const text = msg.id ? `${msg.id}: ${msg.status}` : msg.status;
  return { current: msg.progressDetail?.current, total: msg.progressDetail?.total, text };
}
