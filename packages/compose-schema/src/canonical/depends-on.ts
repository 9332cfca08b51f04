import { isPlainObject, mapTagged } from "./context.js";

/** `depends_on: [db]` → `{db: {condition: service_started, required: true}}`; long entries get the same defaults. */
export function canonicalizeDependsOn(value: unknown): unknown {
  return mapTagged(value, (v) => {
    if (Array.isArray(v)) {
      return Object.fromEntries(
        v.map((name) => [String(name), { condition: "service_started", required: true }]),
      );
    }
    if (!isPlainObject(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [name, dep] of Object.entries(v)) {
      out[name] = mapTagged(dep, (d) =>
        isPlainObject(d) ? { condition: "service_started", required: true, ...d } : d,
      );
    }
    return out;
  });
}
