import { isPlainObject, mapTagged, scalarToString } from "./context.js";

/**
 * A `KEY=VALUE` list or a map, as a map of strings. With `allowNull` (environment, build args) a
 * bare `KEY` or a null value stays null, meaning "take it from the environment"; otherwise it is "".
 */
export function listToMap(value: unknown, allowNull: boolean, separator = "="): unknown {
  return mapTagged(value, (v) => {
    const out: Record<string, string | null> = {};
    if (Array.isArray(v)) {
      for (const entry of v) {
        const s = scalarToString(entry);
        const at = s.indexOf(separator);
        if (at < 0) out[s] = allowNull ? null : "";
        else out[s.slice(0, at)] = s.slice(at + separator.length);
      }
      return out;
    }
    if (!isPlainObject(v)) return v;
    for (const [k, val] of Object.entries(v)) {
      out[k] = val === null || val === undefined ? (allowNull ? null : "") : scalarToString(val);
    }
    return out;
  });
}

/** `extra_hosts` as compose prints it: a list of `host:ip`; the map form becomes that list, sorted. */
export function hostsToList(value: unknown): unknown {
  return mapTagged(value, (v) => {
    if (!isPlainObject(v)) return v;
    return Object.keys(v)
      .sort()
      .map((k) => `${k}:${scalarToString(v[k])}`);
  });
}

/** String-or-list fields (`dns`, `tmpfs`, `env_file`...) become lists. */
export function toList(value: unknown): unknown {
  return mapTagged(value, (v) => (typeof v === "string" || typeof v === "number" ? [v] : v));
}
