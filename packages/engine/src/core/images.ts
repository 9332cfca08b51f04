import type { Project, ServiceConfig } from "@berth/compose-schema";
import type Docker from "dockerode";
import { engineMessage, statusCode } from "../base/engine-response.js";
import { AbortedError, EngineError, NoSuchServiceError } from "../base/errors.js";
import type { EngineEvent, EventListener } from "../base/events.js";
import { Labels } from "../base/labels.js";
import { defaultImageName } from "../base/names.js";
import { observeImages } from "../base/observe.js";
import { workerPool } from "../base/parallel.js";
import { registryAuth, registryOf } from "../base/registry-auth.js";
import { runScheduled } from "../base/schedule.js";
import type { BuilderChoice } from "./build/builder-kind.js";
import { BuildErrorCodes } from "./build/errors.js";
import { type PreparedBuild, prepareBuilds, selectBuilder } from "./build/prepare.js";
import type { BuildRunOptions } from "./build/query.js";
import { runBuild } from "./build/run-build.js";
import {
  type ImageStep,
  type PullPlanOptions,
  planImages,
  planPull,
  pullScope,
  upImageReferences,
} from "./image-plan.js";
import { type BuildOption, type PullOption, serviceImage, splitImageRef } from "./image-policy.js";
import { PULL, PUSH, type ProgressMessage, followStream, reported } from "./image-stream.js";

export { ImageBuildError } from "./build/errors.js";
export type { BuildRunOptions } from "./build/query.js";

export const ImageErrorCodes = {
  buildFailed: BuildErrorCodes.buildFailed,
  pullFailed: "IMAGE_PULL_FAILED",
  pushFailed: "IMAGE_PUSH_FAILED",
} as const;

/** A pull or a push of one service's image that the engine or the registry refused. */
export abstract class ImageTransferError extends EngineError {
  constructor(
    code: string,
    verb: "pulling" | "pushing",
    readonly service: string,
    readonly image: string,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(code, `service ${service}: ${verb} image ${image} failed: ${reason.trim()}`, options);
  }
}

export class ImagePullError extends ImageTransferError {
  constructor(service: string, image: string, reason: string, options: { cause?: unknown } = {}) {
    super(ImageErrorCodes.pullFailed, "pulling", service, image, reason, options);
  }
}

export class ImagePushError extends ImageTransferError {
  constructor(service: string, image: string, reason: string, options: { cause?: unknown } = {}) {
    super(ImageErrorCodes.pushFailed, "pushing", service, image, reason, options);
  }
}

/** `pull`'s plan from the images present now. */
export async function pullPlan(
  docker: Docker,
  project: Project,
  serviceNames: string[],
  opts: PullPlanOptions = {},
): Promise<ImageStep[]> {
  const present = await observeImages(
    docker,
    upImageReferences(project, pullScope(project, serviceNames, opts)),
  );
  return planPull(project, serviceNames, present, opts);
}

export type ImagePlanRunOptions = {
  quiet?: boolean;
  parallel?: number;
  signal?: AbortSignal;
} & BuildRunOptions;

/**
 * Runs an image plan and decides nothing: each step as soon as the steps it comes after are done
 * (`runScheduled`), under the one parallel limit. Every build is checked before anything is pulled or
 * built. A tolerated step that fails is reported as a warning; after any other failure nothing new
 * starts, and once the started steps have settled the first failure is thrown.
 */
export async function applyImagePlan(
  docker: Docker,
  project: Project,
  steps: ImageStep[],
  opts: ImagePlanRunOptions = {},
  onEvent?: EventListener,
): Promise<void> {
  const builds = await checkedBuilds(
    docker,
    project,
    steps.filter((s) => s.action === "build" || s.action === "pull-then-build"),
    onEvent,
  );
  const pool = workerPool({ limit: opts.parallel, signal: opts.signal, operation: "image operation" });
  const byImage = new Map(steps.map((s) => [s.image, s]));
  let failure: { error: unknown } | undefined;
  await runScheduled(
    new Map(steps.map((s) => [s.image, s.after])),
    (image) =>
      pool.run(async () => {
        if (!failure) await perform(docker, project, byImage.get(image) as ImageStep, builds, opts, onEvent);
      }),
    {
      failed: (_image, error) => {
        failure ??= { error };
      },
    },
  ).catch((error: unknown) => {
    // The first failure in time, not the first step in the plan's order that failed.
    throw failure ? failure.error : error;
  });
}

/** The builder and every build checked, before anything is pulled or built. */
interface CheckedBuilds {
  builder: BuilderChoice;
  byImage: Map<string, PreparedBuild>;
}

async function checkedBuilds(
  docker: Docker,
  project: Project,
  steps: ImageStep[],
  onEvent?: EventListener,
): Promise<CheckedBuilds | undefined> {
  if (steps.length === 0) return undefined;
  const builder = await selectBuilder(docker, project, onEvent);
  const targets = steps.map((s) => ({ image: s.image, service: lookup(project, s.service) }));
  const prepared = await prepareBuilds(docker, project, builder, targets);
  return { builder, byImage: new Map(prepared.map((p) => [p.image, p])) };
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

async function perform(
  docker: Docker,
  project: Project,
  step: ImageStep,
  builds: CheckedBuilds | undefined,
  opts: ImagePlanRunOptions,
  onEvent?: EventListener,
): Promise<void> {
  const { image, service, tolerated } = step;
  switch (step.action) {
    case "skip":
      onEvent?.({
        kind: "image",
        name: image,
        service,
        action: "Skipped",
        status: "skipped",
        detail: step.reason,
      });
      return;
    case "pull":
      return tolerate(tolerated, pull(docker, service, image, { ...opts, fallback: tolerated }, onEvent));
    case "push":
      return tolerate(tolerated, push(docker, service, image, { ...opts, fallback: tolerated }, onEvent));
    case "build":
      return build(docker, project, step, builds, opts, onEvent);
    case "pull-then-build":
      try {
        return await pull(docker, service, image, { ...opts, fallback: true }, onEvent);
      } catch (err) {
        if (err instanceof AbortedError) throw err;
        // Compose tolerates a failed pull for a service that can build its image instead.
        return build(docker, project, step, builds, opts, onEvent);
      }
  }
}

/** A tolerated failure was reported as a warning by `reported`; Ctrl-C is never tolerated. */
async function tolerate(tolerated: boolean | undefined, work: Promise<void>): Promise<void> {
  try {
    await work;
  } catch (err) {
    if (!tolerated || err instanceof AbortedError) throw err;
  }
}

/** `fallback`: a failure is only a warning, because the caller builds the image instead. */
async function pull(
  docker: Docker,
  service: string,
  image: string,
  opts: { quiet?: boolean; signal?: AbortSignal; fallback?: boolean },
  onEvent?: EventListener,
): Promise<void> {
  const base = { kind: "image", name: image, service } as const;
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
      error: new ImagePullError(service, image, engineMessage(err), { cause: err }),
      status: opts.fallback ? "warning" : "error",
    }),
  );
}

/** `fallback`: a failure is only a warning (`--ignore-push-failures`). */
async function push(
  docker: Docker,
  service: string,
  image: string,
  opts: { quiet?: boolean; signal?: AbortSignal; fallback?: boolean },
  onEvent?: EventListener,
): Promise<void> {
  const base = { kind: "image", name: image, service } as const;
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
    (err) => ({
      error: new ImagePushError(service, image, engineMessage(err), { cause: err }),
      status: opts.fallback ? "warning" : "error",
    }),
  );
}

function build(
  docker: Docker,
  project: Project,
  { image }: ImageStep,
  builds: CheckedBuilds | undefined,
  run: ImagePlanRunOptions,
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
