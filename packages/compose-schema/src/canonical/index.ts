import type { ComposeError } from "../errors.js";
import type { DocPath } from "../source.js";
import { canonicalizeBuild } from "./build.js";
import { CanonContext, type Locate, isPlainObject, mapTagged, scalarToString } from "./context.js";
import { canonicalizeDependsOn } from "./depends-on.js";
import { canonicalizeFileRefs } from "./file-refs.js";
import { hostsToList, listToMap, toList } from "./mappings.js";
import { canonicalizeServiceNetworks } from "./networks.js";
import { canonicalizePorts } from "./ports.js";
import { splitShellWords } from "./shellwords.js";
import { canonicalizeServiceVolumes } from "./volumes.js";

export type { Locate } from "./context.js";

type Doc = Record<string, unknown>;

/**
 * Rewrites every short syntax of one validated file into the long syntax, so that files can be
 * merged field by field. `!reset`/`!override` tags stay where they are. Malformed short values are
 * reported (located with `locate`) and left as written.
 */
export function canonicalizeDocument(doc: Doc, locate: Locate): { doc: Doc; errors: ComposeError[] } {
  const ctx = new CanonContext(locate);
  const out: Doc = { ...doc };
  if (isPlainObject(doc.services)) {
    const services: Doc = {};
    for (const [name, svc] of Object.entries(doc.services)) {
      services[name] = mapTagged(svc, (s) =>
        isPlainObject(s) ? canonicalizeService(s, ["services", name], ctx) : s,
      );
    }
    out.services = services;
  }
  for (const section of ["networks", "volumes", "secrets", "configs"]) {
    const entries = doc[section];
    if (!isPlainObject(entries)) continue;
    const converted: Doc = {};
    for (const [name, entry] of Object.entries(entries))
      converted[name] = mapTagged(entry, canonicalizeTopLevelEntry);
    out[section] = converted;
  }
  return { doc: out, errors: ctx.errors };
}

function canonicalizeTopLevelEntry(entry: unknown): unknown {
  if (!isPlainObject(entry)) return entry;
  const out: Doc = { ...entry };
  if ("labels" in out) out.labels = listToMap(out.labels, false);
  if ("driver_opts" in out) out.driver_opts = listToMap(out.driver_opts, false);
  return out;
}

function canonicalizeService(svc: Doc, path: DocPath, ctx: CanonContext): Doc {
  const out: Doc = { ...svc };
  const at = (key: string): DocPath => [...path, key];
  const convert = (key: string, fn: (v: unknown) => unknown) => {
    if (key in out) out[key] = fn(out[key]);
  };
  convert("build", canonicalizeBuild);
  convert("command", (v) => mapTagged(v, (c) => shellCommand(c, at("command"), ctx)));
  convert("entrypoint", (v) => mapTagged(v, (c) => shellCommand(c, at("entrypoint"), ctx)));
  convert("healthcheck", (v) => mapTagged(v, healthcheck));
  convert("environment", (v) => listToMap(v, true));
  convert("labels", (v) => listToMap(v, false));
  convert("annotations", (v) => listToMap(v, false));
  convert("sysctls", (v) => listToMap(v, false));
  convert("extra_hosts", hostsToList);
  for (const key of ["env_file", "dns", "dns_search", "tmpfs", "cap_add", "cap_drop"]) convert(key, toList);
  for (const key of ["expose", "group_add"]) {
    convert(key, (v) => mapTagged(v, (l) => (Array.isArray(l) ? l.map(scalarToString) : l)));
  }
  convert("ports", (v) => canonicalizePorts(v, at("ports"), ctx));
  convert("volumes", (v) => canonicalizeServiceVolumes(v, at("volumes"), ctx));
  convert("depends_on", canonicalizeDependsOn);
  convert("networks", canonicalizeServiceNetworks);
  // `models: [llm]` has the short form of `networks`.
  convert("models", canonicalizeServiceNetworks);
  convert("pre_start", (v) =>
    mapTagged(v, (hooks) =>
      Array.isArray(hooks) ? hooks.map((h, i) => preStartHook(h, [...path, "pre_start", i], ctx)) : hooks,
    ),
  );
  convert("secrets", canonicalizeFileRefs);
  convert("configs", canonicalizeFileRefs);
  convert("extends", (v) => mapTagged(v, (e) => (typeof e === "string" ? { service: e } : e)));
  convert("ulimits", (v) => mapTagged(v, ulimits));
  convert("deploy", (v) => mapTagged(v, deploy));
  convert("logging", (v) =>
    mapTagged(v, (l) =>
      isPlainObject(l) && "options" in l ? { ...l, options: listToMap(l.options, false) } : l,
    ),
  );
  return out;
}

/** A string command is split like a shell would (compose uses go-shellwords); "" clears it. */
function shellCommand(value: unknown, path: DocPath, ctx: CanonContext): unknown {
  if (typeof value !== "string") return Array.isArray(value) ? value.map(scalarToString) : value;
  const words = splitShellWords(value);
  if (!words) {
    ctx.invalid(path, value, "command", "unterminated quote or escape");
    return value;
  }
  return words;
}

function preStartHook(value: unknown, path: DocPath, ctx: CanonContext): unknown {
  if (!isPlainObject(value)) return value;
  const out: Doc = { ...value };
  if ("command" in out) out.command = shellCommand(out.command, [...path, "command"], ctx);
  if ("environment" in out) out.environment = listToMap(out.environment, true);
  return out;
}

function healthcheck(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const out: Doc = { ...value };
  if (typeof out.test === "string") out.test = ["CMD-SHELL", out.test];
  else if (Array.isArray(out.test)) out.test = out.test.map(scalarToString);
  return out;
}

/** `nofile: 1024` is compose's short form of a single limit. */
function ulimits(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const out: Doc = {};
  for (const [k, v] of Object.entries(value)) out[k] = typeof v === "number" ? { single: v } : v;
  return out;
}

function deploy(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const out: Doc = { ...value };
  if ("labels" in out) out.labels = listToMap(out.labels, false);
  return out;
}
