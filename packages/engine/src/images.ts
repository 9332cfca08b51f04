import { lstatSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import type { BuildConfig, Project, ServiceConfig } from "@berth/compose-schema";
import type Docker from "dockerode";
import { pack } from "tar-fs";
import {
  buildIgnorePatterns,
  buildQuery,
  dockerfileSource,
  isExcluded,
  mayReincludeBelow,
  unsupportedBuildKeys,
} from "./build-context.js";
import { engineMessage, statusCode } from "./engine-response.js";
import { AbortedError, EngineError, ImageNotFoundError, NoSuchServiceError } from "./errors.js";
import type { EngineEvent, EventListener } from "./events.js";
import {
  type BuildOption,
  type ImageAction,
  type PullOption,
  decideImageAction,
  serviceImage,
  splitImageRef,
} from "./image-policy.js";
import { Labels } from "./labels.js";
import { defaultImageName } from "./names.js";
import { defaultParallel } from "./parallel.js";
import { registryAuth, registryOf } from "./registry-auth.js";

export const ImageErrorCodes = {
  buildFailed: "IMAGE_BUILD_FAILED",
  pullFailed: "IMAGE_PULL_FAILED",
  pushFailed: "IMAGE_PUSH_FAILED",
} as const;

export class ImageBuildError extends EngineError {
  constructor(
    readonly service: string,
    readonly step: string | undefined,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(
      ImageErrorCodes.buildFailed,
      `service ${service} failed to build${step ? ` at ${step}` : ""}: ${reason.trim()}`,
      options,
    );
  }
}

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

interface ProgressMessage {
  status?: string;
  id?: string;
  stream?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  aux?: { ID?: string; Tag?: string; Digest?: string };
  error?: string;
  errorDetail?: { message?: string };
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
  const groups = groupByImage(project, serviceNames);
  await runLimited([...groups], opts.parallel ?? defaultParallel(), opts.signal, async ([image, service]) => {
    const exists = await imageExists(docker, image);
    await perform(docker, project, service, image, decideImageAction(service, exists, opts), opts, onEvent);
  });
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

/** What `berth build` adds to each service's `build:` for this run. */
export interface BuildRunOptions {
  /** `--no-cache`: rebuild every step, as `build.no_cache: true` does. */
  noCache?: boolean;
  /**
   * `--pull`: have the builder pull the base images even when present, as `build.pull: true` does
   * (not `pull`, which `up` uses for its pull policy of service images).
   */
  pullBase?: boolean;
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
  await runLimited(
    [...groupByImage(project, names)],
    opts.parallel ?? defaultParallel(),
    opts.signal,
    ([image, service]) => build(docker, project, service, image, opts, onEvent),
  );
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
      return build(docker, project, service, image, opts, onEvent);
    case "pull-then-build":
      try {
        await pull(docker, service, image, { ...opts, fallback: true }, onEvent);
        return;
      } catch (err) {
        if (err instanceof AbortedError) throw err;
        // Compose tolerates a failed pull for a service that can build its image instead.
        return build(docker, project, service, image, opts, onEvent);
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

async function build(
  docker: Docker,
  project: Project,
  service: ServiceConfig,
  image: string,
  opts: { quiet?: boolean; signal?: AbortSignal } & BuildRunOptions,
  onEvent?: EventListener,
): Promise<void> {
  const config = service.build as BuildConfig;
  const base = { kind: "image", name: image, service: service.name } as const;
  let step: string | undefined;
  await reported(
    base,
    BUILD,
    opts.signal,
    onEvent,
    async () => {
      const unsupported = unsupportedBuildKeys(config);
      if (unsupported.length > 0) {
        const detail = `build keys ignored by the engine's builder: ${unsupported.join(", ")}`;
        onEvent?.({ ...base, action: "Building", status: "warning", detail });
      }
      const { tar, dockerfilePath } = await contextTar(config);
      const query = buildQuery(config, image, dockerfilePath, project.environment);
      if (opts.noCache) query.nocache = true;
      if (opts.pullBase) query.pull = true;
      // The modem JSON-encodes objects and repeats arrays, which is what the build endpoint expects.
      // The engine removes the step's container once the request is cancelled (forcerm).
      const stream = await docker.buildImage(tar, {
        ...query,
        abortSignal: opts.signal,
      } as Docker.ImageBuildOptions);
      await followStream(docker, stream, opts.signal, (msg) => {
        if (!msg.stream) return;
        const text = msg.stream.trimEnd();
        if (/^Step \d+\/\d+ : /.test(text)) step = text;
        if (!opts.quiet && text)
          onEvent?.({ ...base, action: "Building", status: "progress", progress: { text } });
      });
    },
    (err) => ({ error: new ImageBuildError(service.name, step, engineMessage(err), { cause: err }) }),
  );
}

/** The three image operations' words: while running, on failure, when done. */
interface Verbs {
  doing: string;
  failed: string;
  done: string;
}
const PULL: Verbs = { doing: "Pulling", failed: "Pull", done: "Pulled" };
const PUSH: Verbs = { doing: "Pushing", failed: "Push", done: "Pushed" };
const BUILD: Verbs = { doing: "Building", failed: "Build", done: "Built" };

/**
 * Runs one pull, push or build of an image and reports it: working, then done with the time taken, or
 * the operation's own error (an "error" event unless `failure` says "warning"). Ctrl-C is not a
 * failure: it passes through as AbortedError, however the request happened to fail.
 */
async function reported(
  base: { kind: "image"; name: string; service: string },
  verbs: Verbs,
  signal: AbortSignal | undefined,
  onEvent: EventListener | undefined,
  run: () => Promise<void>,
  failure: (err: unknown) => { error: EngineError; status?: "error" | "warning" },
): Promise<void> {
  const started = Date.now();
  onEvent?.({ ...base, action: verbs.doing, status: "working" });
  try {
    await run();
  } catch (err) {
    if (err instanceof AbortedError) throw err;
    if (signal?.aborted) throw new AbortedError(verbs.failed.toLowerCase());
    const { error, status = "error" } = failure(err);
    onEvent?.({ ...base, action: verbs.failed, status, detail: error.message, error });
    throw error;
  }
  onEvent?.({ ...base, action: verbs.done, status: "done", elapsedMs: Date.now() - started });
}

/** The build context as a tar stream, without what `.dockerignore` excludes, with an inline Dockerfile added. */
async function contextTar(
  config: BuildConfig,
): Promise<{ tar: NodeJS.ReadableStream; dockerfilePath: string }> {
  const source = dockerfileSource(config);
  const inline =
    source.outsidePath !== undefined ? await readFile(source.outsidePath, "utf8") : source.inline;
  const ignoreText = await readFile(`${config.context}/.dockerignore`, "utf8").catch((err) => {
    if (err.code === "ENOENT") return undefined;
    throw err;
  });
  const patterns = buildIgnorePatterns(ignoreText, source.pathInContext);
  // Checked here: an error of the tar stream itself would surface only as a broken request.
  if (!isDirectory(config.context)) throw new Error(`build context ${config.context} is not a directory`);
  const tar = pack(config.context, {
    ignore: (name) => {
      const rel = relative(config.context, name);
      if (!isExcluded(rel, patterns)) return false;
      return !(mayReincludeBelow(rel, patterns) && isDirectory(name));
    },
    finalize: inline === undefined,
    finish: (p) => {
      if (inline === undefined) return;
      p.entry({ name: source.pathInContext, mode: 0o644 }, inline);
      p.finalize();
    },
  });
  return { tar, dockerfilePath: source.pathInContext };
}

/** False also for what vanished while the context is packed. */
function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Follows a JSON progress stream; a message with `error` (a failed step, an unknown image) rejects. */
function followStream(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  signal: AbortSignal | undefined,
  onMessage: (msg: ProgressMessage) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let failed: Error | undefined;
    const onAbort = () => {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      reject(new AbortedError("image operation"));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    docker.modem.followProgress(
      stream,
      (err: Error | null) => {
        signal?.removeEventListener("abort", onAbort);
        if (err || failed) reject(err ?? failed);
        else resolve();
      },
      (msg: ProgressMessage) => {
        if (msg.error || msg.errorDetail) {
          failed ??= new Error(msg.errorDetail?.message ?? msg.error);
          return;
        }
        onMessage(msg);
      },
    );
  });
}

function layerProgress(msg: ProgressMessage): EngineEvent["progress"] {
  const text = msg.id ? `${msg.id}: ${msg.status}` : msg.status;
  return { current: msg.progressDetail?.current, total: msg.progressDetail?.total, text };
}

async function runLimited<T>(
  items: T[],
  limit: number,
  signal: AbortSignal | undefined,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < items.length && errors.length === 0) {
      if (signal?.aborted) throw new AbortedError("image operation");
      const item = items[next++];
      try {
        await fn(item);
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (errors.length > 0) throw errors[0];
}
