import { isPlainObject } from "../canonical/context.js";
import type { EntryLocator } from "../entry-locator.js";
import { ComposeErrors } from "../errors.js";
import type {
  Extensions,
  FileObjectConfig,
  ModelConfig,
  NetworkConfig,
  Project,
  ServiceConfig,
  VolumeConfig,
} from "../types.js";
import { checkDefinitions, checkReferences } from "./consistency.js";
import { applyEnvFiles } from "./env-files.js";
import { keep, nameResources, usedResources } from "./resources.js";
import { normalizeService } from "./service.js";
import { ValueConverter } from "./values.js";

type Doc = Record<string, unknown>;

export interface NormalizeOptions {
  name: string;
  workingDir: string;
  configFiles: string[];
  profiles: string[];
  environment: Record<string, string>;
  /** Services the active profiles leave out (normalized too, but not counted as users of resources). */
  disabledServices: Record<string, Doc>;
  locator: EntryLocator;
  readEnvFile: (absPath: string) => string;
  /** Services named on the command line: only they and their dependencies stay enabled. */
  requested?: string[];
}

/**
 * Turns the merged, canonical document (paths already absolute) into the `Project`, applying
 * compose's defaults and checks. Throws `ComposeErrors` with every fault found.
 */
export function normalizeProject(doc: Doc, opts: NormalizeOptions): Project {
  const conv = new ValueConverter(opts.locator);
  const enabled = isPlainObject(doc.services) ? (doc.services as Record<string, Doc>) : {};
  const all = { ...enabled, ...opts.disabledServices };
  const networksDoc: Doc = { default: null, ...(isPlainObject(doc.networks) ? doc.networks : {}) };
  const errors = [
    ...checkReferences({ ...doc, services: all, networks: networksDoc }, opts.locator),
    ...checkDefinitions({ ...doc, services: all }, opts.locator),
  ];

  // Like compose, env files are only read for the services that will run.
  const normalize = (services: Record<string, Doc>, readEnvFiles: boolean): Record<string, ServiceConfig> => {
    const out: Record<string, ServiceConfig> = {};
    for (const name of Object.keys(services).sort()) {
      const service = services[name] as Doc;
      const withEnv = readEnvFiles
        ? applyEnvFiles(service, ["services", name], opts.environment, opts.readEnvFile, opts.locator)
        : service;
      out[name] = withExtensions(
        normalizeService(name, withEnv, opts.environment, conv) as unknown as Doc,
      ) as unknown as ServiceConfig;
    }
    return out;
  };
  const services = normalize(enabled, true);
  const disabledServices = normalize(opts.disabledServices, false);
  errors.push(...conv.errors);
  if (errors.length > 0) throw new ComposeErrors(errors);

  const extend = (entries: Record<string, Doc>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, withExtensions(v)]));
  const resources = (entries: unknown, names: Set<string>) =>
    extend(keep(nameResources(entries, opts.name), names));
  // Like compose, resources are kept for every enabled service before narrowing to the named ones.
  const used = usedResources(services as unknown as Record<string, Doc>);
  const selected = selectServices(services, opts.requested ?? []);
  const [kept, dropped] = partition(services, (name) => selected.has(name));
  Object.assign(disabledServices, dropped);
  const project: Project = {
    name: opts.name,
    workingDir: opts.workingDir,
    configFiles: opts.configFiles,
    profiles: opts.profiles,
    environment: opts.environment,
    services: kept,
    disabledServices,
    networks: resources(networksDoc, used.networks) as Record<string, NetworkConfig>,
    volumes: resources(doc.volumes, used.volumes) as Record<string, VolumeConfig>,
    secrets: resources(doc.secrets, used.secrets) as Record<string, FileObjectConfig>,
    configs: resources(doc.configs, used.configs) as Record<string, FileObjectConfig>,
  };
  // Models keep the name they were given: compose-go names networks, volumes, secrets and configs only.
  const models = isPlainObject(doc.models) ? keep(doc.models as Record<string, Doc>, used.models) : {};
  if (Object.keys(models).length > 0) project.models = extend(models) as Record<string, ModelConfig>;
  const extensions = Object.fromEntries(Object.entries(doc).filter(([k]) => k.startsWith("x-")));
  if (Object.keys(extensions).length > 0) project.extensions = extensions as Extensions;
  return project;
}

/** Moves `x-*` keys into `extensions`, where the model keeps them. */
function withExtensions(entry: Doc): Doc {
  const out: Doc = {};
  const extensions: Doc = {};
  for (const [k, v] of Object.entries(entry)) {
    if (k.startsWith("x-")) extensions[k] = v;
    else out[k] = v;
  }
  if (Object.keys(extensions).length > 0) out.extensions = extensions;
  return out;
}

/** The named services and, transitively, the services they depend on; all of them when none is named. */
function selectServices(services: Record<string, ServiceConfig>, requested: string[]): Set<string> {
  if (requested.length === 0) return new Set(Object.keys(services));
  const selected = new Set<string>();
  const pending = [...requested];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const service = services[name];
    if (!service || selected.has(name)) continue;
    selected.add(name);
    pending.push(...Object.keys(service.depends_on ?? {}));
  }
  return selected;
}

function partition<T>(
  entries: Record<string, T>,
  keep: (key: string) => boolean,
): [Record<string, T>, Record<string, T>] {
  const yes: Record<string, T> = {};
  const no: Record<string, T> = {};
  for (const [k, v] of Object.entries(entries)) (keep(k) ? yes : no)[k] = v;
  return [yes, no];
}
