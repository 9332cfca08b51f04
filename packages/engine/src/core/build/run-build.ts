import { Readable } from "node:stream";
import type { BuildConfig, Project, ServiceConfig } from "@berth/compose-schema";
import type Docker from "dockerode";
import { engineMessage } from "../../base/engine-response.js";
import type { EventListener } from "../../base/events.js";
import { openBuildSession, sessionBuildQuery } from "../buildkit/session.js";
import { BUILD, type ProgressMessage, followStream, reported } from "../image-stream.js";
import type { BuilderKind } from "./builder-kind.js";
import { type DockerfileInfo, contextTar } from "./context-tar.js";
import { instructionLine, syntaxFrontend } from "./dockerfile-scan.js";
import { FrontendUnavailableError, ImageBuildError } from "./errors.js";
import { type BuildRunOptions, buildQuery, resolvedBuildArgs } from "./query.js";
import type { SessionPlan } from "./session-options.js";
import { StepTracker } from "./steps.js";
import { decodeTrace } from "./trace.js";

/** Log lines of a failed step shown under its error. */
const ERROR_LINES = 10;

export interface BuildJob {
  project: Project;
  service: ServiceConfig;
  image: string;
  dockerfile: DockerfileInfo;
  builder: BuilderKind;
  run: BuildRunOptions & { quiet?: boolean; signal?: AbortSignal };
  /** The session of a BuildKit build. */
  session?: SessionPlan;
}

/** `POST /build` with the context as its body; resolves with the response stream. */
function postBuild(
  docker: Docker,
  body: NodeJS.ReadableStream,
  query: Record<string, unknown>,
  signal: AbortSignal | undefined,
): Promise<NodeJS.ReadableStream> {
  // The modem directly, not docker.buildImage: with version=2 that opens a session of its own.
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: "/build?",
        method: "POST",
        options: query,
        file: body,
        isStream: true,
        abortSignal: signal,
        headers: { "Content-Type": "application/x-tar" },
        statusCodes: { 200: true, 400: "bad parameter", 500: "server error" },
      },
      (err: unknown, stream: unknown) => (err ? reject(err) : resolve(stream as NodeJS.ReadableStream)),
    );
  });
}

/** Builds one service's image and reports it: the image's row, and with BuildKit a row per step. */
export async function runBuild(docker: Docker, job: BuildJob, onEvent?: EventListener): Promise<void> {
  const { service, image, dockerfile, builder, run } = job;
  const config = service.build as BuildConfig;
  const base = { kind: "image", name: image, service: service.name } as const;
  const steps = new StepTracker(service.name);
  let legacyStep: string | undefined;
  await reported(
    base,
    BUILD,
    run.signal,
    onEvent,
    async () => {
      const args = resolvedBuildArgs(config, job.project.environment, run.buildArgs);
      const plan = job.session;
      const query = buildQuery(
        config,
        image,
        plan?.dockerfileParam ?? dockerfile.pathInContext,
        args,
        builder,
        run,
      );
      // The engine calls the session back during the build; closing it cancels a solve still running.
      const session = plan ? await openBuildSession(docker, plan.options) : undefined;
      try {
        const body = plan?.contextOverSession ? Readable.from([]) : await contextTar(config, dockerfile);
        const sessionQuery = session && plan ? sessionBuildQuery(session, plan.contextOverSession) : {};
        const stream = await postBuild(docker, body, { ...query, ...sessionQuery }, run.signal);
        await follow(stream);
      } finally {
        await session?.close();
      }
    },
    (err) => ({ error: buildError(job, steps, legacyStep, engineMessage(err), err) }),
  );

  function follow(stream: NodeJS.ReadableStream): Promise<void> {
    return followStream(docker, stream, run.signal, (msg: ProgressMessage) => {
      if (msg.id === "moby.buildkit.trace" && typeof msg.aux === "string") {
        for (const event of steps.apply(decodeTrace(msg.aux))) if (!run.quiet) onEvent?.(event);
        return;
      }
      if (!msg.stream) return;
      // The legacy builder's output: `Step 2/5 : RUN …` and the step's lines.
      const text = msg.stream.trimEnd();
      if (/^Step \d+\/\d+ : /.test(text)) legacyStep = text;
      if (!run.quiet && text)
        onEvent?.({ ...base, action: "Building", status: "progress", progress: { text } });
    });
  }
}

/** The error of a failed build: the failed step, its last lines and its Dockerfile line, or the frontend. */
function buildError(
  job: BuildJob,
  steps: StepTracker,
  legacyStep: string | undefined,
  reason: string,
  cause: unknown,
): ImageBuildError | FrontendUnavailableError {
  const frontend = syntaxFrontend(job.dockerfile.text);
  if (
    frontend &&
    /frontend|failed to resolve source metadata|failed to do request|pull access denied/.test(reason)
  )
    return new FrontendUnavailableError(job.service.name, frontend, reason);
  const failed = steps.failure();
  if (!failed) return new ImageBuildError(job.service.name, legacyStep, reason, { cause });
  const line = instructionLine(job.dockerfile.text, failed.name.replace(/^\[\S+ /, "["));
  const file = job.dockerfile.file ?? "build.dockerfile_inline";
  return new ImageBuildError(job.service.name, failed.name, failed.error, {
    cause,
    detail: failed.lastLines.slice(-ERROR_LINES).join("\n") || undefined,
    location: line !== undefined ? { file, line, column: 1 } : undefined,
  });
}
