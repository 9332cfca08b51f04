import { randomBytes } from "node:crypto";
import type { Project } from "@berth/compose-schema";
import type Docker from "dockerode";
import { outputSink } from "../../base/demux.js";
import { NoSuchServiceError } from "../../base/errors.js";
import type { EventListener } from "../../base/events.js";
import { ServiceGraph } from "../../base/graph.js";
import { Labels } from "../../base/labels.js";
import { oneOffContainerName } from "../../base/names.js";
import { observeProject } from "../../base/observe.js";
import { Executor } from "../apply.js";
import { containerSpec, imageOf } from "../container-spec.js";
import { ensureImages } from "../images.js";
import { planRunResources } from "../plan.js";
import { checkSupportedServices } from "../unsupported-services.js";
import { up } from "../up.js";
import { terminalSize } from "./attach.js";
import { type OneOffOverrides, oneOffService } from "./run-config.js";

export interface RunOptions extends OneOffOverrides {
  /** Remove the container when it exits (`--rm`). */
  rm?: boolean;
  name?: string;
  /** Do not start the services the service depends on. */
  noDeps?: boolean;
  /** Start it and return at once (`-d`). */
  detach?: boolean;
  build?: "always" | "never" | "auto";
  pull?: "always" | "missing" | "never" | "policy";
  /** No pull progress, only start and end. */
  quietPull?: boolean;
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  signal?: AbortSignal;
}

export interface RunResult {
  container: string;
  /** Absent with `detach`. */
  exitCode?: number;
  /** Captured output, when neither `stdout` nor `stderr` was given and not detached. */
  stdout?: string;
  stderr?: string;
}

/** Compose labels one-offs with the random part of their name. */
const SLUG_LABEL = "com.docker.compose.slug";

/**
 * `run`: a one-off container of the service, created from the service's config with the run options over
 * it. Starts the dependencies first (unless `noDeps`), creates the networks and volumes it needs, then
 * attaches, waits and returns the exit code.
 */
export async function runOneOff(
  docker: Docker,
  project: Project,
  serviceName: string,
  opts: RunOptions = {},
  onEvent?: EventListener,
): Promise<RunResult> {
  const base = project.services[serviceName];
  if (!base) throw new NoSuchServiceError(serviceName);
  const graph = new ServiceGraph(project);
  const deps = graph.dependencies(serviceName);
  checkSupportedServices(project, opts.noDeps ? [serviceName] : [serviceName, ...deps]);
  if (!opts.noDeps && deps.length > 0) {
    await up(
      docker,
      project,
      { services: deps, build: opts.build, pull: opts.pull, quietPull: opts.quietPull, signal: opts.signal },
      onEvent,
    );
  }
  await ensureImages(
    docker,
    project,
    [serviceName],
    { build: opts.build, pull: opts.pull, quiet: opts.quietPull, signal: opts.signal },
    onEvent,
  );
  await createResources(docker, project, serviceName, onEvent);

  const service = oneOffService(base, opts);
  const slug = randomBytes(6).toString("hex");
  const name = opts.name ?? oneOffContainerName(project.name, serviceName, slug);
  const spec = containerSpec({ project, service, number: 1 });
  const interactive = Boolean(opts.interactive && opts.stdin);
  const options: Docker.ContainerCreateOptions = {
    ...spec.options,
    name,
    Labels: { ...spec.options.Labels, [Labels.oneoff]: "True", [SLUG_LABEL]: slug },
    AttachStdin: interactive,
    AttachStdout: !opts.detach,
    AttachStderr: !opts.detach,
    OpenStdin: interactive,
    StdinOnce: interactive,
    HostConfig: { ...spec.options.HostConfig, AutoRemove: Boolean(opts.rm && opts.detach) },
  };
  const container = await docker.createContainer(options);
  const event = { kind: "container", name, service: serviceName } as const;
  onEvent?.({ ...event, action: "Created", status: "done" });
  try {
    for (const extra of spec.extraNetworks) {
      await docker
        .getNetwork(extra.network)
        .connect({ Container: container.id, EndpointConfig: extra.endpoint });
    }
    if (opts.detach) {
      await container.start();
      onEvent?.({ ...event, action: "Started", status: "done" });
      return { container: name };
    }
    return { container: name, ...(await attachAndWait(container, Boolean(service.tty), interactive, opts)) };
  } finally {
    if (opts.rm && !opts.detach) {
      await container.remove({ force: true, v: true }).catch(() => undefined);
      onEvent?.({ ...event, action: "Removed", status: "done" });
    }
  }
}

/** The networks and volumes of the service, as `up` would create them, without its container. */
async function createResources(
  docker: Docker,
  project: Project,
  serviceName: string,
  onEvent?: EventListener,
): Promise<void> {
  const observed = await observeProject(docker, project.name, {
    project,
    images: [imageOf(project, project.services[serviceName])],
  });
  const executor = new Executor(docker, project, observed, { parallel: 1 }, onEvent ?? (() => {}));
  await executor.apply(planRunResources(project, observed, serviceName));
}

async function attachAndWait(
  container: Docker.Container,
  tty: boolean,
  interactive: boolean,
  opts: RunOptions,
): Promise<Omit<RunResult, "container">> {
  const stream = await container.attach({
    stream: true,
    stdin: interactive,
    stdout: true,
    stderr: true,
    hijack: true,
  });
  const capture = !opts.stdout && !opts.stderr;
  const captured = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  const ended = new Promise<void>((resolve, reject) => {
    stream.on(
      "data",
      outputSink(tty, (name, data) => {
        if (capture) captured[name].push(data);
        else (name === "stdout" ? opts.stdout : opts.stderr)?.write(data);
      }),
    );
    stream.on("end", resolve);
    stream.on("close", resolve);
    stream.on("error", reject);
  });
  // `next-exit`: the default condition would answer at once for a container not yet started.
  const exited = container.wait({ condition: "next-exit" }) as Promise<{ StatusCode: number }>;
  await container.start();
  const size = tty ? terminalSize(opts.stdout) : undefined;
  // A TTY of the wrong size garbles full-screen programs; a failed resize is harmless otherwise.
  if (size) await container.resize(size).catch(() => undefined);
  if (interactive) opts.stdin?.pipe(stream);
  const stop = () => void container.kill().catch(() => undefined);
  opts.signal?.addEventListener("abort", stop, { once: true });
  try {
    const { StatusCode } = await exited;
    await ended;
    if (!capture) return { exitCode: StatusCode };
    return {
      exitCode: StatusCode,
      stdout: Buffer.concat(captured.stdout).toString(),
      stderr: Buffer.concat(captured.stderr).toString(),
    };
  } finally {
    opts.signal?.removeEventListener("abort", stop);
    // Hand the caller's stdin back (unpiping pauses it), or it would keep the process alive.
    if (interactive) opts.stdin?.unpipe(stream as NodeJS.WritableStream);
  }
}
