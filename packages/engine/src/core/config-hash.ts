import { createHash } from "node:crypto";
import type { ServiceConfig } from "@berth/compose-schema";

/** JSON with object keys sorted at every level, so equal configs always serialize alike. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => stableStringify(v ?? null)).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The value of `com.docker.compose.config-hash`: a container whose label differs from its service's
 * hash is recreated. Like compose, it leaves out what never changes a container: how the image is
 * obtained (`build`, `pull_policy`), how many replicas run (`scale`, `deploy.replicas`), `profiles`
 * and `depends_on`. It cannot equal compose's own hash (Go's JSON of compose-go's structs), so a
 * container created by docker compose is recreated once by Berth's first `up`, and vice versa.
 */
export function serviceConfigHash(service: ServiceConfig): string {
  return sha256(stableStringify(hashedConfig(service)));
}

/** The part of a service that decides whether its containers are recreated. */
function hashedConfig(service: ServiceConfig): Record<string, unknown> {
  const { build, pull_policy, scale, profiles, depends_on, deploy, ...rest } = service;
  const hashed: Record<string, unknown> = { ...rest };
  if (deploy) {
    const { replicas, ...deployRest } = deploy;
    hashed.deploy = deployRest;
  }
  return hashed;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Label with a digest of the hashed config, so that a later `up` can say which part changed. It holds
 * short hashes, not values: environment values may be secrets, and labels are public.
 */
export const CONFIG_DIGEST_LABEL = "dev.berth.config-digest";

/** Top-level key → short hash, or for a map (environment, labels…) map key → short hash. */
export type ConfigDigest = Record<string, string | Record<string, string>>;

const short = (value: unknown) => sha256(stableStringify(value)).slice(0, 12);

export function configDigest(service: ServiceConfig): ConfigDigest {
  const digest: ConfigDigest = {};
  for (const [key, value] of Object.entries(hashedConfig(service))) {
    if (value === undefined) continue;
    digest[key] =
      value && typeof value === "object" && !Array.isArray(value)
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([, v]) => v !== undefined)
              .map(([k, v]) => [k, short(v)]),
          )
        : short(value);
  }
  return digest;
}

/** The label's value; undefined when absent or not ours (a container made by docker compose). */
export function parseConfigDigest(label: string | undefined): ConfigDigest | undefined {
  if (!label) return undefined;
  try {
    const parsed: unknown = JSON.parse(label);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as ConfigDigest)
      : undefined;
  } catch {
    return undefined;
  }
}

/** What differs, as `environment.API_URL changed`, `ports added`, in key order. */
export function configChanges(previous: ConfigDigest, current: ConfigDigest): string[] {
  const changes: string[] = [];
  for (const key of [...new Set([...Object.keys(previous), ...Object.keys(current)])].sort()) {
    const [was, is] = [previous[key], current[key]];
    if (was === undefined) changes.push(`${key} added`);
    else if (is === undefined) changes.push(`${key} removed`);
    else if (typeof was === "object" && typeof is === "object") {
      for (const sub of [...new Set([...Object.keys(was), ...Object.keys(is)])].sort()) {
        if (was[sub] === is[sub]) continue;
        const what = was[sub] === undefined ? "added" : is[sub] === undefined ? "removed" : "changed";
        changes.push(`${key}.${sub} ${what}`);
      }
    } else if (stableStringify(was) !== stableStringify(is)) changes.push(`${key} changed`);
  }
  return changes;
}
