import path from "node:path";
import { isPlainObject } from "../canonical/context.js";
import type { DocPath } from "../source.js";
import type { ServiceConfig } from "../types.js";
import type { ValueConverter } from "./values.js";

type Doc = Record<string, unknown>;

/**
 * Compose's per-service defaults: the implicit `default` network, `pull_policy` aliases, build
 * defaults, dependencies implied by links/volumes_from/`service:` namespaces, `scale` mirrored into
 * `deploy.replicas`, mount targets cleaned, variables without a value taken from the project environment, durations in
 * Go's form and byte sizes as numbers.
 */
export function normalizeService(
  name: string,
  raw: Doc,
  env: Record<string, string>,
  conv: ValueConverter,
): ServiceConfig {
  const s: Doc = { ...raw };
  const at = (...p: (string | number)[]): DocPath => ["services", name, ...p];
  // A provider's service has no container to attach.
  if (s.networks === undefined && s.network_mode === undefined && s.provider === undefined)
    s.networks = { default: null };
  if (s.pull_policy === "if_not_present") s.pull_policy = "missing";
  if (isPlainObject(s.build)) {
    const build: Doc = { context: ".", ...s.build };
    if (build.dockerfile === undefined && build.dockerfile_inline === undefined)
      build.dockerfile = "Dockerfile";
    if (isPlainObject(build.args)) build.args = resolveNulls(build.args, env);
    if (Array.isArray(build.extra_hosts)) build.extra_hosts = hostsList(build.extra_hosts);
    if (build.shm_size !== undefined) build.shm_size = conv.bytes(build.shm_size, at("build", "shm_size"));
    s.build = build;
  }
  if (isPlainObject(s.environment)) s.environment = resolveNulls(s.environment, env);
  if (Array.isArray(s.extra_hosts)) s.extra_hosts = hostsList(s.extra_hosts);
  const dependsOn = impliedDependencies(s);
  if (dependsOn) s.depends_on = dependsOn;
  if (typeof s.scale === "number" && s.scale > 1) {
    s.deploy = { ...(isPlainObject(s.deploy) ? s.deploy : {}), replicas: s.scale };
  }
  for (const key of ["mem_limit", "mem_reservation", "memswap_limit", "mem_swappiness", "shm_size"]) {
    if (s[key] !== undefined) s[key] = conv.bytes(s[key], at(key));
  }
  if (s.stop_grace_period !== undefined)
    s.stop_grace_period = conv.duration(s.stop_grace_period, at("stop_grace_period"));
  if (isPlainObject(s.healthcheck)) {
    const hc: Doc = { ...s.healthcheck };
    for (const key of ["interval", "timeout", "start_period", "start_interval"]) {
      if (hc[key] !== undefined) hc[key] = conv.duration(hc[key], at("healthcheck", key));
    }
    s.healthcheck = hc;
  }
  if (Array.isArray(s.volumes)) {
    s.volumes = s.volumes.map((v, i) => {
      if (!isPlainObject(v)) return v;
      const out: Doc = typeof v.target === "string" ? { ...v, target: cleanTarget(v.target) } : { ...v };
      if (isPlainObject(v.tmpfs) && v.tmpfs.size !== undefined)
        out.tmpfs = { ...v.tmpfs, size: conv.bytes(v.tmpfs.size, at("volumes", i, "tmpfs", "size")) };
      return out;
    });
  }
  if (Array.isArray(s.pre_start) && typeof s.image === "string" && s.image !== "") {
    // compose-go v2 (inheritPreStartImage): a hook without its own image runs the service's.
    const image = s.image;
    s.pre_start = s.pre_start.map((h) => (isPlainObject(h) && h.image === undefined ? { ...h, image } : h));
  }
  if (isPlainObject(s.deploy)) s.deploy = normalizeDeploy(s.deploy, at("deploy"), conv);
  if (isPlainObject(s.blkio_config))
    s.blkio_config = normalizeBlkio(s.blkio_config, at("blkio_config"), conv);
  return { ...s, name } as unknown as ServiceConfig;
}

/** A mount target as compose cleans it (Go's path.Clean): `/var/www/html/` → `/var/www/html`. */
function cleanTarget(target: string): string {
  if (target === "") return target;
  const clean = path.posix.normalize(target);
  return clean.length > 1 && clean.endsWith("/") ? clean.slice(0, -1) : clean;
}

/** A variable written without a value takes the project environment's value when there is one. */
function resolveNulls(map: Doc, env: Record<string, string>): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(map)) out[k] = v === null && Object.hasOwn(env, k) ? env[k] : v;
  return out;
}

/** Adds the dependencies compose infers from links, volumes_from and `service:` namespaces. */
function impliedDependencies(s: Doc): Doc | undefined {
  const deps: Doc = isPlainObject(s.depends_on) ? { ...s.depends_on } : {};
  const add = (dep: string, restart: boolean) => {
    if (!Object.hasOwn(deps, dep))
      deps[dep] = { condition: "service_started", ...(restart ? { restart } : {}), required: true };
  };
  for (const link of stringList(s.links)) add(link.split(":")[0] ?? link, true);
  for (const key of ["network_mode", "ipc", "pid", "uts", "cgroup"]) {
    const ns = s[key];
    if (typeof ns === "string" && ns.startsWith("service:")) add(ns.slice("service:".length), true);
  }
  for (const from of stringList(s.volumes_from)) {
    if (!from.startsWith("container:")) add(from.split(":")[0] ?? from, false);
  }
  return Object.keys(deps).length > 0 ? deps : undefined;
}

/** Compose reads every blkio rate (bps and iops alike) as a byte size. */
function normalizeBlkio(blkio: Doc, path: DocPath, conv: ValueConverter): Doc {
  const out: Doc = { ...blkio };
  for (const key of ["device_read_bps", "device_read_iops", "device_write_bps", "device_write_iops"]) {
    const list = out[key];
    if (!Array.isArray(list)) continue;
    out[key] = list.map((d, i) =>
      isPlainObject(d) && d.rate !== undefined
        ? { ...d, rate: conv.bytes(d.rate, [...path, key, i, "rate"]) }
        : d,
    );
  }
  return out;
}

function normalizeDeploy(deploy: Doc, path: DocPath, conv: ValueConverter): Doc {
  const out: Doc = { ...deploy };
  for (const key of ["update_config", "rollback_config"]) {
    const cfg = out[key];
    if (!isPlainObject(cfg)) continue;
    const c: Doc = { ...cfg };
    for (const d of ["delay", "monitor"])
      if (c[d] !== undefined) c[d] = conv.duration(c[d], [...path, key, d]);
    out[key] = c;
  }
  if (isPlainObject(out.restart_policy)) {
    const rp: Doc = { ...out.restart_policy };
    for (const d of ["delay", "window"])
      if (rp[d] !== undefined) rp[d] = conv.duration(rp[d], [...path, "restart_policy", d]);
    out.restart_policy = rp;
  }
  if (isPlainObject(out.resources)) {
    const res: Doc = { ...out.resources };
    for (const key of ["limits", "reservations"]) {
      const r = res[key];
      if (!isPlainObject(r)) continue;
      const c: Doc = { ...r };
      if (c.memory !== undefined) c.memory = conv.bytes(c.memory, [...path, "resources", key, "memory"]);
      if (c.cpus !== undefined) c.cpus = String(c.cpus);
      res[key] = c;
    }
    out.resources = res;
  }
  return out;
}

/** Compose keeps extra hosts as a map (a host listed twice keeps its last address), printed sorted. */
function hostsList(entries: unknown[]): string[] {
  const hosts = new Map<string, string>();
  for (const e of entries) {
    const text = String(e);
    const at = text.indexOf(":");
    hosts.set(at < 0 ? text : text.slice(0, at), text);
  }
  return [...hosts.values()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}
