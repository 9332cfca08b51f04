import { stat } from "node:fs/promises";
import type { BuildConfig, Project, ServiceConfig } from "@berth/compose-schema";
import type Docker from "dockerode";
import { engineTraits } from "../../base/docker-client.js";
import type { EventListener } from "../../base/events.js";
import { checkSecrets } from "../buildkit/secrets.js";
import type { SecretSource } from "../buildkit/session.js";
import { type BuilderChoice, chooseBuilder } from "./builder-kind.js";
import { type DockerfileInfo, readDockerfile } from "./context-tar.js";
import { newerFrontendConstructs, syntaxFrontend } from "./dockerfile-scan.js";
import { BuildKeyError, FrontendTooOldError, ImageBuildError } from "./errors.js";
import { type SessionPlan, sessionPlan } from "./session-options.js";
import { buildKeyErrors } from "./validate.js";

/** A build checked and ready to run. */
export interface PreparedBuild {
  service: ServiceConfig;
  image: string;
  dockerfile: DockerfileInfo;
  /** BuildKit builds run with a session (secrets, ssh, the context over filesync). */
  session?: SessionPlan;
}

/** The builder for this run, and the one line saying so when it is the legacy one. */
export async function selectBuilder(
  docker: Docker,
  project: Project,
  onEvent?: EventListener,
): Promise<BuilderChoice> {
  const choice = chooseBuilder(process.env, await engineTraits(docker));
  if (choice.kind === "legacy")
    onEvent?.({
      kind: "project",
      name: project.name,
      action: "Legacy builder",
      status: "warning",
      detail: `building with the engine's legacy builder (${choice.reason}): RUN --mount, COPY --chmod, build secrets and ssh need BuildKit`,
    });
  return choice;
}

/** The service's Dockerfile; a missing context or Dockerfile is the service's build failing. */
async function readDockerfileOf(service: ServiceConfig): Promise<DockerfileInfo> {
  const build = service.build as BuildConfig;
  const isDir = await stat(build.context).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir)
    throw new ImageBuildError(service.name, undefined, `build context ${build.context} is not a directory`);
  try {
    return await readDockerfile(build);
  } catch (err) {
    throw new ImageBuildError(
      service.name,
      undefined,
      `cannot read its Dockerfile: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

/** A build secret whose file cannot be read or whose variable is unset fails before any build starts. */
async function checkSecretsOf(service: ServiceConfig, secrets: Record<string, SecretSource>): Promise<void> {
  try {
    await checkSecrets(secrets);
  } catch (err) {
    throw new BuildKeyError(service.name, "secrets", (err as Error).message);
  }
}

/** The engine's own platform (`linux/amd64`), asked only when a build names platforms. */
async function enginePlatform(docker: Docker): Promise<string> {
  const version = await docker.version();
  return `${version.Os}/${version.Arch}`;
}

/**
 * Reads each build's Dockerfile and checks every build before any starts: `build:` keys the builder
 * cannot honour, and Dockerfile constructs the engine's frontend cannot parse. Throws the first fault.
 */
export async function prepareBuilds(
  docker: Docker,
  project: Project,
  builder: BuilderChoice,
  targets: readonly { service: ServiceConfig; image: string }[],
): Promise<PreparedBuild[]> {
  const platform = targets.some((t) => t.service.build?.platforms?.length)
    ? await enginePlatform(docker)
    : undefined;
  const prepared: PreparedBuild[] = [];
  for (const { service, image } of targets) {
    const [keyError] = buildKeyErrors(service, builder, platform);
    if (keyError) throw keyError;
    const dockerfile = await readDockerfileOf(service);
    if (builder.kind === "buildkit" && syntaxFrontend(dockerfile.text) === undefined) {
      const names = Object.keys(service.build?.additional_contexts ?? {});
      const [construct] = newerFrontendConstructs(dockerfile.text, names);
      if (construct) {
        const where = `${dockerfile.file ?? "build.dockerfile_inline"}:${construct.line}`;
        throw new FrontendTooOldError(service.name, `${construct.construct} (${where})`);
      }
    }
    const session = builder.kind === "buildkit" ? sessionPlan(project, service, dockerfile) : undefined;
    if (session?.options.secrets) await checkSecretsOf(service, session.options.secrets);
    prepared.push({ service, image, dockerfile, session });
  }
  return prepared;
}
