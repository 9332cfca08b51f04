import type { BuildConfig } from "@berth/compose-schema";
import type { BuilderKind } from "./builder-kind.js";
import { parseCacheEntry } from "./cache-options.js";

/** What `berth build` adds to every service's `build:` for one run. */
export interface BuildRunOptions {
  /** `--no-cache`: rebuild every step, as `build.no_cache: true` does. */
  noCache?: boolean;
  /**
   * `--pull`: have the builder pull the base images even when present, as `build.pull: true` does
   * (not `pull`, which `up` uses for its pull policy of service images).
   */
  pullBase?: boolean;
  /** `--build-arg KEY[=VALUE]`: over the file's `args`; a KEY alone takes its value from the environment. */
  buildArgs?: Record<string, string | null>;
}

/**
 * The build arguments as sent: the file's `args` under `--build-arg`, each without a value taking the
 * project environment's (left out when it has none), as compose does.
 */
export function resolvedBuildArgs(
  build: BuildConfig,
  environment: Record<string, string | undefined>,
  overrides: Record<string, string | null> = {},
): Record<string, string> {
  const args: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...build.args, ...overrides })) {
    const resolved = value ?? environment[key];
    if (resolved !== undefined) args[key] = resolved;
  }
  return args;
}

/**
 * Query parameters of `POST /build` for a service's `build:` (dockerd's `build_routes.go`; keys the
 * builder cannot honour are refused before, by validate.ts). `tags` are more `t` values: the modem
 * repeats array values, JSON-encodes objects.
 */
export function buildQuery(
  build: BuildConfig,
  image: string,
  dockerfilePath: string,
  args: Record<string, string>,
  builder: BuilderKind,
  run: BuildRunOptions = {},
): Record<string, unknown> {
  const query: Record<string, unknown> = {
    t: [image, ...(build.tags ?? []).filter((t) => t !== image)],
    dockerfile: dockerfilePath,
  };
  // forcerm: the legacy builder otherwise keeps the container of a failed step, unlabelled, forever.
  if (builder === "legacy") Object.assign(query, { rm: true, forcerm: true });
  else query.version = "2";
  const buildargs = { ...args };
  // The engine's BuildKit exports inline cache when asked through this build argument.
  if (build.cache_to?.some((e) => parseCacheEntry(e).type === "inline"))
    buildargs.BUILDKIT_INLINE_CACHE = "1";
  if (Object.keys(buildargs).length > 0) query.buildargs = buildargs;
  if (build.target) query.target = build.target;
  if (build.labels && Object.keys(build.labels).length > 0) query.labels = build.labels;
  const cacheFrom = (build.cache_from ?? []).map((e) => parseCacheEntry(e).attrs.ref).filter(Boolean);
  // The engine reads cachefrom as a JSON array; the modem would repeat the key instead.
  if (cacheFrom.length > 0) query.cachefrom = JSON.stringify(cacheFrom);
  if (build.network) query.networkmode = build.network;
  if (build.shm_size !== undefined) query.shmsize = build.shm_size;
  if (build.ulimits && Object.keys(build.ulimits).length > 0)
    query.ulimits = JSON.stringify(ulimitList(build));
  // Compose writes `host=ip` or `host:ip`; the builder wants `host:ip`, one query value each.
  if (build.extra_hosts?.length) query.extrahosts = build.extra_hosts.map((h) => h.replace("=", ":"));
  if (build.platforms?.length === 1) query.platform = build.platforms[0];
  // Neither builder of this engine's build API can skip the cache for some stages only (BuildKit's
  // `no-cache` attribute is sent empty): every stage is rebuilt, which gives the same image.
  if (build.no_cache || build.no_cache_filter?.length || run.noCache) query.nocache = true;
  if (build.pull || run.pullBase) query.pull = true;
  if (build.isolation) query.isolation = build.isolation;
  return query;
}

function ulimitList(build: BuildConfig): { Name: string; Soft?: number; Hard?: number }[] {
  return Object.entries(build.ulimits ?? {}).map(([name, limit]) =>
    limit.single !== undefined
      ? { Name: name, Soft: limit.single, Hard: limit.single }
      : { Name: name, Soft: limit.soft, Hard: limit.hard },
  );
}
