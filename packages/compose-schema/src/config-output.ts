import { toJson } from "./output/json.js";
import {
  type Field,
  type Spec,
  fileObjectSpec,
  modelSpec,
  networkSpec,
  serviceSpec,
  volumeSpec,
} from "./output/model.js";
import { type Node, scalar, sortedEntries } from "./output/tree.js";
import { toYaml } from "./output/yaml.js";
import type { Project, ServiceConfig } from "./types.js";

export interface RenderOptions {
  format: "yaml" | "json";
  /**
   * The project was loaded without interpolation. Otherwise every `$` is doubled, as compose does, so
   * that the output can be loaded again with the same result.
   */
  noInterpolate?: boolean;
}

/** The project printed exactly as `docker compose config` (v2.23) prints it. */
export function renderConfig(project: Project, opts: RenderOptions): string {
  const json = opts.format === "json";
  const b = new TreeBuilder(json);
  const services: [string, Node][] = Object.entries(project.services).map(([name, s]) => [
    name,
    b.service(s),
  ]);
  const entries: [string, Node][] = [];
  if (project.name !== "") entries.push(["name", scalar(project.name)]);
  entries.push(["services", { kind: "map", entries: services, sorted: true }]);
  const sections: [string, Record<string, unknown>, Spec][] = [
    ["networks", project.networks, networkSpec],
    ["volumes", project.volumes, volumeSpec],
    ["secrets", project.secrets, fileObjectSpec],
    ["configs", project.configs, fileObjectSpec],
    ["models", project.models ?? {}, modelSpec],
  ];
  for (const [key, resources, spec] of sections) {
    const node = b.build(resources, { map: spec });
    if (node) entries.push([key, node]);
  }
  const extensions = b.any(project.extensions ?? {});
  if (extensions.kind === "map") entries.push(...sortedEntries(extensions));
  // Go marshals the JSON project from a map (keys sorted), the YAML one from a struct.
  const root: Node = { kind: "map", entries, sorted: json };
  const text = json ? toJson(root) : toYaml(root);
  return opts.noInterpolate ? text : text.replaceAll("$", () => "$$");
}

class TreeBuilder {
  constructor(private readonly json: boolean) {}

  service(s: ServiceConfig): Node {
    const node = this.build(s, serviceSpec) ?? { kind: "map", entries: [], sorted: false };
    // Go's JSON encoder has no omitempty on these two, so absent commands print as null.
    if (this.json && node.kind === "map") {
      for (const key of ["command", "entrypoint"]) {
        if (!node.entries.some(([k]) => k === key)) node.entries.push([key, scalar(null)]);
      }
      const order = (serviceSpec as { struct: [string, Spec][] }).struct.map(([k]) => k);
      node.entries.sort(([a], [b]) => rank(order, a) - rank(order, b));
    }
    return node;
  }

  /** The node for `value` shaped by `spec`; undefined when compose leaves the key out. */
  build(value: unknown, spec: Spec, inContainer = false): Node | undefined {
    if (spec === "any") return value === undefined ? undefined : this.any(value);
    if (spec === "scalar") {
      if (value === undefined || value === null) return inContainer ? scalar(null) : undefined;
      if (typeof value === "object") return this.any(value);
      if (!inContainer && (value === false || value === 0 || value === "")) return undefined;
      return scalar(value as string | number | boolean);
    }
    if (spec === "ptr") {
      if (value === undefined || value === null) return undefined;
      return typeof value === "object" ? this.any(value) : scalar(value as string | number | boolean);
    }
    if (spec === "duration") return value === "0s" ? undefined : this.build(value, "scalar", inContainer);
    if (spec === "bytes") {
      if (value === undefined || value === null || (value === 0 && !inContainer)) return undefined;
      return scalar(String(value));
    }
    if (spec === "command") {
      if (!Array.isArray(value)) return undefined;
      return { kind: "seq", items: value.map((v) => scalar(String(v))) };
    }
    if (spec === "ulimit") return this.ulimit(value);
    if ("list" in spec) {
      if (!Array.isArray(value) || value.length === 0) return undefined;
      return { kind: "seq", items: value.map((v) => this.build(v, spec.list, true) ?? scalar(null)) };
    }
    if ("map" in spec) {
      if (!isObject(value) || Object.keys(value).length === 0) return undefined;
      const entries: [string, Node][] = Object.entries(value).map(([k, v]) => [
        k,
        v === null && spec.nullable ? scalar(null) : (this.build(v, spec.map, true) ?? scalar(null)),
      ]);
      return { kind: "map", entries, sorted: true };
    }
    // Go's JSON encoder has no omitempty for struct values (only for pointers to them).
    if (value === undefined && this.json && !spec.ptr) return this.build({}, spec, inContainer);
    if (!isObject(value)) return undefined;
    const entries: [string, Node][] = [];
    // In YAML an absent field prints nothing, whatever its spec: only the fields present are visited.
    for (const [key, fieldSpec, jsonKey] of this.json ? spec.struct : presentFields(spec, value)) {
      if (this.json && key === "external" && fieldSpec === "scalar") {
        entries.push([key, scalar(value[key] === true)]);
        continue;
      }
      const node = this.build(value[key], fieldSpec);
      if (node) entries.push([this.json && jsonKey ? jsonKey : key, node]);
    }
    if (spec.extensions) {
      const ext: Record<string, unknown> = isObject(value.extensions) ? { ...value.extensions } : {};
      for (const k of Object.keys(value)) if (k.startsWith("x-")) ext[k] = value[k];
      if (!this.json) for (const k of Object.keys(ext).sort()) entries.push([k, this.any(ext[k])]);
    }
    // omitempty drops an empty struct in YAML; a pointer to one, and any struct in JSON, stays.
    if (entries.length === 0 && !spec.ptr && !inContainer && !this.json) return undefined;
    return { kind: "map", entries, sorted: false };
  }

  private ulimit(value: unknown): Node {
    if (typeof value === "number") return scalar(value);
    const u = isObject(value) ? value : {};
    if (typeof u.single === "number" && u.single !== 0) return scalar(u.single);
    return {
      kind: "map",
      entries: [
        ["soft", scalar(typeof u.soft === "number" ? u.soft : 0)],
        ["hard", scalar(typeof u.hard === "number" ? u.hard : 0)],
      ],
      sorted: false,
    };
  }

  any(value: unknown): Node {
    if (Array.isArray(value)) return { kind: "seq", items: value.map((v) => this.any(v)) };
    if (isObject(value)) {
      return { kind: "map", entries: Object.entries(value).map(([k, v]) => [k, this.any(v)]), sorted: true };
    }
    if (value === undefined) return scalar(null);
    return scalar(value as string | number | boolean | null);
  }
}

/** Field positions of each struct spec, for presentFields. */
const fieldIndexes = new WeakMap<Field[], Map<string, number>>();

/** The fields of `spec` that `value` has, in the spec's order: a service uses ~10 of its ~100. */
function presentFields(spec: { struct: Field[] }, value: Record<string, unknown>): Field[] {
  let index = fieldIndexes.get(spec.struct);
  if (!index) {
    index = new Map(spec.struct.map(([key], i) => [key, i]));
    fieldIndexes.set(spec.struct, index);
  }
  const positions: number[] = [];
  for (const key of Object.keys(value)) {
    const i = index.get(key);
    if (i !== undefined && value[key] !== undefined) positions.push(i);
  }
  return positions.sort((a, b) => a - b).map((i) => spec.struct[i] as Field);
}

function rank(order: string[], key: string): number {
  const i = order.indexOf(key);
  return i < 0 ? order.length : i;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `config --services`: every service after the services it depends on; otherwise by name. */
export function listServices(project: Project): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    const service = project.services[name];
    if (!service || seen.has(name)) return;
    seen.add(name);
    for (const dep of Object.keys(service.depends_on ?? {}).sort()) visit(dep);
    out.push(name);
  };
  for (const name of Object.keys(project.services).sort()) visit(name);
  return out;
}

/** `config --volumes`: the project's volume keys, sorted. */
export function listVolumes(project: Project): string[] {
  return Object.keys(project.volumes).sort();
}

/** `config --profiles`: every profile any service (enabled or not) declares, sorted. */
export function listProfiles(project: Project): string[] {
  const all = new Set<string>();
  for (const s of [...Object.values(project.services), ...Object.values(project.disabledServices)]) {
    for (const p of s.profiles ?? []) all.add(p);
  }
  return [...all].sort();
}

/** `config --images`: each service's image, or the `<project>-<service>` name compose builds it as. */
export function listImages(project: Project): string[] {
  return Object.keys(project.services)
    .sort()
    .map((name) => project.services[name]?.image ?? `${project.name}-${name}`);
}
