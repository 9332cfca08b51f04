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
  const { build, pull_policy, scale, profiles, depends_on, deploy, ...rest } = service;
  const hashed: Record<string, unknown> = { ...rest };
  if (deploy) {
    const { replicas, ...deployRest } = deploy;
    hashed.deploy = deployRest;
  }
  return createHash("sha256").update(stableStringify(hashed)).digest("hex");
}
