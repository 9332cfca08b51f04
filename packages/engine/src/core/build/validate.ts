import type { BuildConfig, ServiceConfig } from "@berth/compose-schema";
import type { BuilderChoice } from "./builder-kind.js";
import { parseCacheEntry } from "./cache-options.js";
import { BuildKeyError, FrontendTooOldError } from "./errors.js";

/** Engines from API 1.42 (Docker 23) on pass `shm_size` and `ulimits` to BuildKit; 20.10 drops them. */
const BUILDKIT_RESOURCE_LIMITS_API = 1.42;

/**
 * Every `build:` key the chosen builder cannot honour, as errors naming the service and the key, found
 * before anything is built. Keys honoured elsewhere (context, dockerfile, args…) pass.
 */
export function buildKeyErrors(
  service: ServiceConfig,
  builder: BuilderChoice,
  /** The engine's own platform (`linux/amd64`), known when the build names platforms. */
  platform: string | undefined,
): Error[] {
  const build = service.build as BuildConfig;
  const errors: Error[] = [];
  const refuse = (key: string, reason: string) => errors.push(new BuildKeyError(service.name, key, reason));
  const legacy = builder.kind === "legacy";
  const legacyWhy = legacy ? ` (the legacy builder is used: ${builder.reason})` : "";

  if (legacy) {
    if (build.secrets?.length) refuse("secrets", `build secrets need BuildKit${legacyWhy}`);
    if (build.ssh?.length) refuse("ssh", `SSH forwarding needs BuildKit${legacyWhy}`);
  }
  if (build.additional_contexts && Object.keys(build.additional_contexts).length > 0) {
    if (legacy) refuse("additional_contexts", `named contexts need BuildKit${legacyWhy}`);
    else errors.push(new FrontendTooOldError(service.name, "build.additional_contexts (named contexts)"));
  }
  for (const entry of build.cache_from ?? []) {
    const { type } = parseCacheEntry(entry);
    if (type !== "registry")
      refuse(
        "cache_from",
        `cache type "${type}" cannot be imported through the engine's build API, which takes image references only (use an image built with cache_to: [type=inline])`,
      );
  }
  for (const entry of build.cache_to ?? []) {
    const { type } = parseCacheEntry(entry);
    if (legacy) refuse("cache_to", `cache export needs BuildKit${legacyWhy}`);
    else if (type !== "inline")
      refuse(
        "cache_to",
        `cache type "${type}" cannot be exported through the engine's build API, which exports inline cache only (type=inline, kept in the image); other kinds need buildx`,
      );
  }
  if (!legacy && build.network && !["default", "host", "none"].includes(build.network))
    refuse(
      "network",
      `BuildKit runs build steps on "default", "host" or "none" only, not "${build.network}"`,
    );
  if (!legacy && builder.apiVersion < BUILDKIT_RESOURCE_LIMITS_API) {
    const why =
      "this engine's BuildKit ignores it (honoured from Docker 23, API 1.42); DOCKER_BUILDKIT=0 builds with the legacy builder, which honours it";
    if (build.shm_size !== undefined) refuse("shm_size", why);
    if (build.ulimits && Object.keys(build.ulimits).length > 0) refuse("ulimits", why);
  }
  if ((build.platforms?.length ?? 0) > 1)
    refuse(
      "platforms",
      `several platforms (${build.platforms?.join(", ")}) need a builder that exports multi-platform images; the engine's image store keeps one platform per tag (${platform} here)`,
    );
  if (build.privileged)
    refuse(
      "privileged",
      "the engine's build API grants no security.insecure entitlement; a privileged build needs buildx with a builder started with --allow-insecure-entitlement security.insecure",
    );
  return errors;
}
