import type { ServiceConfig } from "@berth/compose-schema";
import { defaultImageName } from "../base/names.js";

export type PullOption = "always" | "missing" | "never" | "policy";
export type BuildOption = "always" | "never" | "auto";

/**
 * What to do to have a service's image:
 * - `none`: it is there (or nothing may be done about it);
 * - `pull`, `build`: that;
 * - `pull-then-build`: pull (`pull_policy: always` on a service that also builds); if the pull fails or
 *   leaves no image, build;
 * - `missing`: it is absent and neither a pull nor a build is allowed.
 */
export type ImageAction = "none" | "pull" | "build" | "pull-then-build" | "missing";

/** The image a service runs: its `image:`, or the name compose tags its build with. */
export function serviceImage(projectName: string, service: ServiceConfig): string {
  return service.image ?? defaultImageName(projectName, service.name);
}

/** `if_not_present` is compose's older spelling of `missing`; absent means `missing`. */
function effectivePolicy(service: ServiceConfig, pull: PullOption): "always" | "missing" | "never" | "build" {
  if (pull !== "policy") return pull;
  switch (service.pull_policy) {
    case "always":
    case "never":
    case "build":
      return service.pull_policy;
    default:
      return "missing";
  }
}

export function decideImageAction(
  service: ServiceConfig,
  exists: boolean,
  opts: { pull?: PullOption; build?: BuildOption },
): ImageAction {
  const policy = effectivePolicy(service, opts.pull ?? "policy");
  const build = opts.build ?? "auto";
  if (service.build) {
    if (build === "always") return "build";
    if (policy === "build" && build !== "never") return "build";
    const pullFirst = build === "never" ? "pull" : "pull-then-build";
    if (policy === "always") return pullFirst;
    if (exists) return "none";
    // Compose tries a service's `image:` from its registry before building it.
    if (policy === "missing" && service.image) return pullFirst;
    return build === "never" ? "missing" : "build";
  }
  if (policy === "always") return "pull";
  if (exists) return "none";
  return policy === "never" ? "missing" : "pull";
}

/** `repo[:tag]` or `repo@digest` split the way the engine's push and pull endpoints want it. */
export function splitImageRef(ref: string): { repository: string; tag?: string; digest?: string } {
  const at = ref.indexOf("@");
  if (at !== -1) return { repository: ref.slice(0, at), digest: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(":");
  // A colon before the last `/` belongs to a registry port (`127.0.0.1:5000/app`), not to a tag.
  if (colon === -1 || colon < ref.lastIndexOf("/")) return { repository: ref };
  return { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) };
}

/**
 * What `pull` does with a service's image, as docker compose's `pull` decides: without a `pull_policy` it
 * always pulls; `missing` (`if_not_present`) pulls an absent image or a `latest` tag, which may have
 * moved; `never` and `build` leave the image alone. A `reason` without `pull` says why it is skipped.
 */
export function decidePull(service: ServiceConfig, exists: boolean): { pull: boolean; reason: string } {
  switch (service.pull_policy) {
    case undefined:
      return { pull: true, reason: exists ? "no pull_policy: pulled again" : "not present" };
    case "always":
      return { pull: true, reason: "pull_policy: always" };
    case "never":
    case "build":
      return { pull: false, reason: `pull_policy: ${service.pull_policy}` };
    default:
      // compose's refresh policies (`daily`, `weekly`, `every_12h`): `pull` is the refresh they wait for.
      if (/^(daily|weekly|every_)/.test(service.pull_policy))
        return { pull: true, reason: `pull_policy: ${service.pull_policy}` };
      if (!exists) return { pull: true, reason: "not present" };
      if (isLatestTag(service.image ?? "")) return { pull: true, reason: "tag latest may have moved" };
      return { pull: false, reason: "already present" };
  }
}

/** `repo`, `repo:latest` (not `repo@digest`): a tag compose reads as `latest`. */
function isLatestTag(ref: string): boolean {
  const { tag, digest } = splitImageRef(ref);
  return digest === undefined && (tag === undefined || tag === "latest");
}
