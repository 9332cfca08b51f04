import { isPlainObject, mapTagged } from "./context.js";
import { canonicalizeFileRefs } from "./file-refs.js";
import { hostsToList, listToMap } from "./mappings.js";

/** `build: ./dir` → `{context: ./dir}`; list-or-map fields inside become maps. */
export function canonicalizeBuild(value: unknown): unknown {
  return mapTagged(value, (v) => {
    if (typeof v === "string") return { context: v };
    if (!isPlainObject(v)) return v;
    const out: Record<string, unknown> = { ...v };
    if ("args" in out) out.args = listToMap(out.args, true);
    if ("labels" in out) out.labels = listToMap(out.labels, false);
    if ("additional_contexts" in out) out.additional_contexts = listToMap(out.additional_contexts, false);
    if ("extra_hosts" in out) out.extra_hosts = hostsToList(out.extra_hosts);
    if ("secrets" in out) out.secrets = canonicalizeFileRefs(out.secrets);
    for (const key of ["tags", "platforms", "cache_from", "cache_to", "no_cache_filter"]) {
      if (typeof out[key] === "string") out[key] = [out[key]];
    }
    return out;
  });
}
