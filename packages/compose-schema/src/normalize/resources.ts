import { isPlainObject } from "../canonical/context.js";

type Doc = Record<string, unknown>;

/**
 * Top-level networks, volumes, secrets and configs with their engine-side names: `name:` when given,
 * the key itself for an external resource, `<project>_<key>` otherwise. A legacy
 * `external: {name: x}` becomes `name: x, external: true`.
 */
export function nameResources(entries: unknown, project: string): Record<string, Doc> {
  const out: Record<string, Doc> = {};
  if (!isPlainObject(entries)) return out;
  for (const [key, raw] of Object.entries(entries)) {
    const { external, ...entry }: Doc = isPlainObject(raw) ? raw : {};
    const isExternal = external === true || isPlainObject(external);
    if (isPlainObject(external) && typeof external.name === "string" && entry.name === undefined)
      entry.name = external.name;
    if (typeof entry.name !== "string") entry.name = isExternal ? key : `${project}_${key}`;
    out[key] = isExternal ? { ...entry, external: true } : entry;
  }
  return out;
}

/** The resources the given services use; compose's `config` leaves out the others. */
export function usedResources(
  services: Record<string, Doc>,
): Record<"networks" | "volumes" | "secrets" | "configs" | "models", Set<string>> {
  const used = {
    networks: new Set<string>(),
    volumes: new Set<string>(),
    secrets: new Set<string>(),
    configs: new Set<string>(),
    models: new Set<string>(),
  };
  for (const s of Object.values(services)) {
    if (isPlainObject(s.networks)) for (const n of Object.keys(s.networks)) used.networks.add(n);
    for (const v of list(s.volumes))
      if (v.type === "volume" && typeof v.source === "string" && v.source !== "") used.volumes.add(v.source);
    for (const r of list(s.secrets)) if (typeof r.source === "string") used.secrets.add(r.source);
    if (isPlainObject(s.build))
      for (const r of list(s.build.secrets)) if (typeof r.source === "string") used.secrets.add(r.source);
    for (const r of list(s.configs)) if (typeof r.source === "string") used.configs.add(r.source);
    if (isPlainObject(s.models)) for (const m of Object.keys(s.models)) used.models.add(m);
  }
  return used;
}

function list(v: unknown): Doc[] {
  return Array.isArray(v) ? v.filter(isPlainObject) : [];
}

export function keep<T>(entries: Record<string, T>, names: Set<string>): Record<string, T> {
  return Object.fromEntries(Object.entries(entries).filter(([k]) => names.has(k)));
}
