import { mapTagged } from "./context.js";

/** A service's `secrets:`/`configs:` entries: `name` → `{source: name}`. */
export function canonicalizeFileRefs(value: unknown): unknown {
  return mapTagged(value, (v) =>
    Array.isArray(v) ? v.map((entry) => (typeof entry === "string" ? { source: entry } : entry)) : v,
  );
}
