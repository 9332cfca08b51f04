/**
 * Merges canonical compose documents (long syntax, see the canonicalizer) following the Compose
 * Specification's merge rules. Where docker compose v2.23 (compose-go v1.20) differs from the spec we
 * follow the spec, deliberately:
 * - top-level networks/volumes/secrets/configs entries are merged recursively (v2.23 replaces a whole
 *   entry when a later file redefines it);
 * - entries of `ports`, `volumes`, `secrets` and `configs` that share a unique key are merged, not
 *   replaced; the sequences keep the order they were written in (v2.23 sorts them);
 * - other sequences are appended without duplicates (v2.23 keeps duplicates, except in `expose`);
 * - secrets and configs are keyed by `target` (v2.23 keys them by `source`);
 * - `!override` is honoured (v2.23 ignores it).
 */
import { OverrideTag, ResetTag, hasTags } from "./tags.js";

type Data = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Data {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof ResetTag) &&
    !(value instanceof OverrideTag)
  );
}

/** `value` with every `!reset` entry dropped and every `!override` unwrapped: a copy when it has any. */
export function stripTags(value: unknown): unknown {
  return hasTags(value) ? strip(value) : value;
}

function strip(value: unknown): unknown {
  if (value instanceof OverrideTag) return strip(value.value);
  if (Array.isArray(value)) return value.filter((v) => !(v instanceof ResetTag)).map(strip);
  if (isPlainObject(value)) {
    const out: Data = {};
    for (const [k, v] of Object.entries(value)) {
      if (!(v instanceof ResetTag)) out[k] = strip(v);
    }
    return out;
  }
  return value;
}

/** Merges `override` (a later file) onto `base`. Neither input is modified. */
export function mergeDocuments(base: Data, override: Data): Data {
  return mergeValue(base, override, []) as Data;
}

/** Merges one service definition onto another: a later file's, or an extending service onto its base. */
export function mergeService(base: Data, override: Data): Data {
  return mergeValue(base, override, ["services", "*"]) as Data;
}

/** `path` is where the values sit in the document, service names replaced by "*". */
function mergeValue(base: unknown, override: unknown, path: readonly string[]): unknown {
  if (override instanceof OverrideTag) return stripTags(override.value);
  const b = stripTags(base);
  // A null entry (`networks: [front]`, `volumes: {data:}`) adds nothing to an existing definition.
  if (override === null && isPlainObject(b)) return b;
  const rule = serviceRule(path);
  if (rule === "replace") return stripTags(override);
  if (Array.isArray(b) && Array.isArray(override)) {
    const key =
      rule === "ports" ? portKey : rule === "volumes" ? volumeKey : rule === "files" ? fileKey : undefined;
    return key ? mergeKeyed(b, override, key, path) : union(b, override);
  }
  if (isPlainObject(b) && isPlainObject(override)) {
    if (rule === "logging" && differentDrivers(b, override)) return stripTags(override);
    const out: Data = { ...b };
    for (const [k, v] of Object.entries(override)) {
      if (v instanceof ResetTag) delete out[k];
      else if (!Object.hasOwn(out, k)) out[k] = stripTags(v);
      else out[k] = mergeValue(out[k], v, [...path, path.length === 1 && path[0] === "services" ? "*" : k]);
    }
    return out;
  }
  return stripTags(override);
}

type Rule = "replace" | "ports" | "volumes" | "files" | "logging" | undefined;

function serviceRule(path: readonly string[]): Rule {
  if (path[0] !== "services" || path.length < 3) return undefined;
  const rest = path.slice(2).join(".");
  switch (rest) {
    // Shell commands are one value: appending two commands makes no sense.
    case "command":
    case "entrypoint":
    case "healthcheck.test":
      return "replace";
    case "ports":
      return "ports";
    case "volumes":
      return "volumes";
    case "secrets":
    case "configs":
      return "files";
    case "logging":
      return "logging";
  }
  // Each ulimit is one setting: `nproc: 5` over `{soft, hard}` must not keep soft and hard.
  if (path.length === 4 && path[2] === "ulimits") return "replace";
  return undefined;
}

function differentDrivers(base: Data, override: Data): boolean {
  return (
    typeof base.driver === "string" && typeof override.driver === "string" && base.driver !== override.driver
  );
}

function portKey(p: unknown): string {
  const o = isPlainObject(p) ? p : {};
  return JSON.stringify([
    o.host_ip ?? "",
    o.published === undefined ? "" : String(o.published),
    String(o.target),
    o.protocol ?? "tcp",
  ]);
}

function volumeKey(v: unknown): string {
  return isPlainObject(v) ? String(v.target) : JSON.stringify(v);
}

/** Secrets and configs: by target, which defaults to the source's name. */
function fileKey(f: unknown): string {
  return isPlainObject(f) ? String(f.target ?? f.source) : JSON.stringify(f);
}

/** Entries sharing a unique key are merged in place; the others are appended. */
function mergeKeyed(
  base: unknown[],
  override: unknown[],
  key: (v: unknown) => string,
  path: readonly string[],
): unknown[] {
  const out = [...base];
  const index = new Map(out.map((v, i) => [key(v), i]));
  for (const entry of override) {
    if (entry instanceof ResetTag) continue;
    const k = key(entry);
    const at = index.get(k);
    if (at === undefined) {
      index.set(k, out.length);
      out.push(stripTags(entry));
    } else {
      out[at] = mergeValue(out[at], entry, [...path, "*"]);
    }
  }
  return out;
}

function union(base: unknown[], override: unknown[]): unknown[] {
  const out = [...base];
  const seen = new Set(out.map((v) => JSON.stringify(v)));
  for (const entry of stripTags(override) as unknown[]) {
    const k = JSON.stringify(entry);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(entry);
    }
  }
  return out;
}
