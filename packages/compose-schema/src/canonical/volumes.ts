import type { DocPath } from "../source.js";
import { type CanonContext, mapTagged } from "./context.js";

const propagations = new Set(["rprivate", "private", "rshared", "shared", "rslave", "slave"]);
const selinux = new Set(["z", "Z"]);
/** Docker Desktop's consistency hints: valid, but compose v2.23 drops them. */
const consistency = new Set(["cached", "delegated", "consistent"]);
const modes = new Set(["ro", "rw", "nocopy", ...propagations, ...selinux, ...consistency]);

/** Expands a service's `volumes:` list; long entries are kept as written. */
export function canonicalizeServiceVolumes(value: unknown, path: DocPath, ctx: CanonContext): unknown {
  return mapTagged(value, (list) => {
    if (!Array.isArray(list)) return list;
    return list.map((entry, i) => {
      if (typeof entry !== "string") return entry;
      const parsed = parseVolumeSpec(entry);
      if (typeof parsed === "string") {
        ctx.invalid([...path, i], entry, "volume specification", parsed);
        return entry;
      }
      return parsed;
    });
  });
}

/**
 * Parses `[source:]target[:mode,...]` like compose's loader: a source starting with `.`, `/` or
 * `~` (or a Windows drive) is a bind mount, anything else names a volume. A string result is the
 * reason the spec is invalid.
 */
export function parseVolumeSpec(spec: string): Record<string, unknown> | string {
  if (spec === "") return "empty volume specification";
  if (spec.length <= 2) return { type: "volume", target: spec, volume: {} };
  const fields: string[] = [];
  let buf = "";
  for (const ch of spec) {
    if (ch === ":" && !(buf.length === 1 && /\p{L}/u.test(buf))) {
      fields.push(buf);
      buf = "";
    } else buf += ch;
  }
  fields.push(buf);
  if (fields.some((f) => f === "")) return "empty section between colons";
  if (fields.length > 3) return "too many colons";
  const out: Record<string, unknown> = {};
  const [first, second, options] = fields;
  if (fields.length === 1) out.target = first;
  else {
    out.source = first;
    out.target = second;
  }
  const bind: Record<string, unknown> = {};
  let volume: Record<string, unknown> | undefined;
  let readOnly = false;
  if (options !== undefined) {
    for (const opt of options.split(",")) {
      if (!modes.has(opt)) return `unknown mode "${opt}"`;
      if (opt === "ro" || opt === "rw") readOnly = opt === "ro";
      else if (opt === "nocopy") volume = { nocopy: true };
      else if (propagations.has(opt)) bind.propagation = opt;
      else if (selinux.has(opt)) bind.selinux = opt;
    }
  }
  if (readOnly) out.read_only = true;
  const source = typeof out.source === "string" ? out.source : "";
  if (isFilePath(source)) {
    out.type = "bind";
    out.bind = { ...bind, create_host_path: true };
  } else {
    out.type = "volume";
    if (Object.keys(bind).length > 0) out.bind = bind;
    out.volume = volume ?? {};
  }
  return out;
}

function isFilePath(source: string): boolean {
  if (source === "") return false;
  if (".~/".includes(source[0] ?? "")) return true;
  if (source.startsWith("\\\\")) return true;
  return /^\p{L}:/u.test(source);
}
