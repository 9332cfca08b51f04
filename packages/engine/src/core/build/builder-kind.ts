import type { EngineTraits } from "../../base/docker-client.js";

export type BuilderKind = "buildkit" | "legacy";

export interface BuilderChoice {
  kind: BuilderKind;
  /** Why the legacy builder, to be said once. */
  reason?: string;
  /** The engine's API version as a number (1.41), for features that came later. */
  apiVersion: number;
}

/**
 * BuildKit unless `DOCKER_BUILDKIT` turns it off or the engine cannot: the docker CLI's rule. An engine
 * that names its default builder is believed; otherwise BuildKit needs a Linux engine with API 1.39
 * (Docker 18.09) or later.
 */
export function chooseBuilder(env: Record<string, string | undefined>, traits: EngineTraits): BuilderChoice {
  const apiVersion = Number(traits.apiVersion ?? "0") || 0;
  const flag = env.DOCKER_BUILDKIT?.trim().toLowerCase();
  if (flag !== undefined && ["0", "false", "no", "off"].includes(flag))
    return { kind: "legacy", reason: "DOCKER_BUILDKIT=0", apiVersion };
  if (traits.builderVersion === "1")
    return { kind: "legacy", reason: "the engine's default builder is the legacy one", apiVersion };
  if (traits.builderVersion === "2") return { kind: "buildkit", apiVersion };
  if (traits.osType && traits.osType !== "linux")
    return { kind: "legacy", reason: `BuildKit does not run on ${traits.osType} engines`, apiVersion };
  if (apiVersion > 0 && apiVersion < 1.39)
    return { kind: "legacy", reason: `the engine's API ${traits.apiVersion} predates BuildKit`, apiVersion };
  return { kind: "buildkit", apiVersion };
}
