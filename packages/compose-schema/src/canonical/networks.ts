import { mapTagged } from "./context.js";

/** A service's `networks: [a, b]` → `{a: null, b: null}`. */
export function canonicalizeServiceNetworks(value: unknown): unknown {
  return mapTagged(value, (v) =>
    Array.isArray(v) ? Object.fromEntries(v.map((n) => [String(n), null])) : v,
  );
}
