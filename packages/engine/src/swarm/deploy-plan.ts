import type { Project } from "@berth/compose-schema";
import type { ResourceKind } from "../base/events.js";
import type { ApiService } from "./api-types.js";
import { specDiff } from "./compare.js";
import { type UnsupportedIssue, describeIssue } from "./errors.js";
import { SwarmStackLabels, scoped } from "./labels.js";
import {
  type NetworkCreateSpec,
  type ObjectCreateSpec,
  type ObjectKind,
  networkSpec,
  usedNetworkKeys,
} from "./objects.js";
import { type ResolveImage, mustResolve } from "./resolve-image.js";
import { type ObjectRef, type SwarmServiceSpec, serviceSpec } from "./service-spec.js";
import { ipvsWarning } from "./unsupported.js";

/** What the swarm holds for a stack, as `observeSwarmStack` reads it. */
export interface ObservedSwarmStack {
  /** The stack's networks and the external ones the file names: engine name → ID. */
  networks: Record<string, string>;
  /** The stack's configs and secrets: engine name → ID. */
  objects: Record<ObjectKind, Record<string, string>>;
  /** External configs and secrets the file names, by `kind:key`. */
  externals: Record<string, ObjectRef>;
  services: ApiService[];
  /** `image@digest` for each written image the policy asks the registry about; undefined when it had no answer. */
  digests: Record<string, string | undefined>;
}

export interface DeployPlanInput {
  project: Project;
  stack: string;
  observed: ObservedSwarmStack;
  /** The configs and secrets the file defines, with their content (`readObjects`). */
  objects: ObjectCreateSpec[];
  /** What `checkSwarmSupport` warned about (its errors stop the deploy before anything is observed). */
  warnings: UnsupportedIssue[];
  resolveImage: ResolveImage;
  prune: boolean;
  hasIpvs: boolean;
  env: Record<string, string | undefined>;
}

export type DeployAction =
  | { type: "create-network"; spec: NetworkCreateSpec; reason: string }
  | { type: "create-object"; spec: ObjectCreateSpec; reason: string }
  | { type: "create-service"; service: string; image: string; spec: SwarmServiceSpec; reason: string }
  | {
      type: "update-service";
      service: string;
      image: string;
      id: string;
      version: number;
      spec: SwarmServiceSpec;
      reason: string;
    }
  | { type: "keep-service"; service: string; id: string; name: string; reason: string }
  | { type: "remove-service"; id: string; name: string; reason: string }
  | { type: "remove-object"; kind: ObjectKind; id: string; name: string; reason: string };

export interface DeployWarning {
  kind: ResourceKind;
  name: string;
  service?: string;
  detail: string;
}

/** Everything `berth deploy` will do, in the order it does it; the executor decides nothing. */
export interface DeployPlan {
  stack: string;
  warnings: DeployWarning[];
  /** Networks and configs/secrets created before any service (they are created together). */
  networks: Extract<DeployAction, { type: "create-network" }>[];
  objects: Extract<DeployAction, { type: "create-object" }>[];
  /** One action per service of the file, in the file's order; run together up to the parallel limit. */
  services: Extract<DeployAction, { type: "create-service" | "update-service" | "keep-service" }>[];
  /** `--prune`: services first, then configs and secrets. */
  prune: Extract<DeployAction, { type: "remove-service" | "remove-object" }>[];
}

/**
 * Stands for the ID of an object the plan creates; the executor puts the real ID in its place. A spec
 * that names one differs from every stored spec, which is right: the service must move to the new object.
 */
export function pendingId(kind: "network" | ObjectKind, name: string): string {
  return `<id of new ${kind} ${name}>`;
}

/** The written images the policy asks the registry about (one question per image). Pure. */
export function imagesToResolve(
  project: Project,
  stack: string,
  services: readonly ApiService[],
  policy: ResolveImage,
): string[] {
  const byName = new Map(services.map((s) => [s.Spec.Name, s] as const));
  const images = new Set<string>();
  for (const service of Object.values(project.services)) {
    const previous = byName.get(scoped(stack, service.name))?.Spec.Labels?.[SwarmStackLabels.image];
    if (mustResolve(policy, service.image ?? "", previous)) images.add(service.image ?? "");
  }
  return [...images];
}

/** Converges the stack to the project as `docker stack deploy` does: pure reconcile of the observed state. */
export function planDeploy(input: DeployPlanInput): DeployPlan {
  const { project, stack, observed } = input;
  const warnings: DeployWarning[] = input.warnings.map((w) => ({
    kind: "project",
    name: stack,
    service: w.service,
    detail: describeIssue(w),
  }));
  const ipvs = ipvsWarning(project, input.hasIpvs);
  if (ipvs)
    warnings.push({ kind: "project", name: stack, service: ipvs.service, detail: describeIssue(ipvs) });

  const networkIds: Record<string, string> = { ...observed.networks };
  const networks: DeployPlan["networks"] = [];
  for (const key of usedNetworkKeys(project)) {
    // External networks are in `observed.networks` (their absence already failed the deploy).
    if (project.networks[key]?.external) continue;
    const spec = networkSpec(project, stack, key);
    if (networkIds[spec.Name]) continue;
    networkIds[spec.Name] = pendingId("network", spec.Name);
    networks.push({ type: "create-network", spec, reason: "not on the swarm" });
  }

  const refs: Record<string, ObjectRef> = { ...observed.externals };
  const objects: DeployPlan["objects"] = [];
  for (const spec of input.objects) {
    const id = observed.objects[spec.kind][spec.Name];
    refs[`${spec.kind}:${spec.key}`] = { id: id ?? pendingId(spec.kind, spec.Name), name: spec.Name };
    if (id) continue;
    // The name carries a hash of the content: another name of the same object means the content changed.
    const base = spec.Name.slice(0, spec.Name.lastIndexOf("-") + 1);
    const older = Object.keys(observed.objects[spec.kind]).some((n) => n.startsWith(base));
    objects.push({ type: "create-object", spec, reason: older ? "content changed" : "not on the swarm" });
  }
  const byKind = (kind: ObjectKind) =>
    Object.fromEntries(
      Object.entries(refs)
        .filter(([k]) => k.startsWith(`${kind}:`))
        .map(([k, v]) => [k.slice(kind.length + 1), v]),
    );

  const existing = new Map(observed.services.map((s) => [s.Spec.Name, s] as const));
  const warnedImages = new Set<string>();
  const services = Object.values(project.services).map((service): DeployPlan["services"][number] => {
    const written = service.image ?? "";
    const current = existing.get(scoped(stack, service.name));
    const { image, unresolved } = pinnedImage(input.resolveImage, written, current, observed.digests);
    if (unresolved && !warnedImages.has(written)) {
      warnedImages.add(written);
      warnings.push({
        kind: "image",
        name: written,
        service: service.name,
        detail: `image ${written} could not be resolved to a digest on its registry: each node runs its own copy of the tag`,
      });
    }
    const spec = serviceSpec({
      stack,
      project,
      service,
      configs: byKind("config"),
      secrets: byKind("secret"),
      env: input.env,
      image,
    });
    // The engine stores network IDs in service specs.
    for (const n of spec.TaskTemplate.Networks ?? []) n.Target = networkIds[n.Target] ?? n.Target;
    if (!current) {
      return {
        type: "create-service",
        service: service.name,
        image: written,
        spec,
        reason: "not on the swarm",
      };
    }
    // Keep the engine's force-update counter, or every deploy would restart every task.
    spec.TaskTemplate.ForceUpdate = current.Spec.TaskTemplate.ForceUpdate;
    const changed = specDiff(spec, current.Spec);
    if (changed.length === 0) {
      return {
        type: "keep-service",
        service: service.name,
        id: current.ID,
        name: spec.Name,
        reason: "up to date",
      };
    }
    return {
      type: "update-service",
      service: service.name,
      image: written,
      id: current.ID,
      version: current.Version.Index,
      spec,
      reason: `changed: ${changed.join(", ")}`,
    };
  });

  const prune: DeployPlan["prune"] = [];
  if (input.prune) {
    const wanted = new Set(Object.values(project.services).map((s) => scoped(stack, s.name)));
    for (const s of observed.services) {
      if (!wanted.has(s.Spec.Name))
        prune.push({ type: "remove-service", id: s.ID, name: s.Spec.Name, reason: "not in the file" });
    }
    const kept = new Set(Object.values(refs).map((r) => r.name));
    for (const kind of ["config", "secret"] as const) {
      for (const [name, id] of Object.entries(observed.objects[kind])) {
        if (!kept.has(name))
          prune.push({ type: "remove-object", kind, id, name, reason: "no service of the file uses it" });
      }
    }
  }
  return { stack, warnings, networks, objects, services, prune };
}

/**
 * The image a service's spec names: the registry's digest when the policy asked for one, what the
 * service runs now under `changed` with the same written image, else the written one (undefined).
 */
function pinnedImage(
  policy: ResolveImage,
  written: string,
  current: ApiService | undefined,
  digests: Record<string, string | undefined>,
): { image?: string; unresolved?: boolean } {
  if (mustResolve(policy, written, current?.Spec.Labels?.[SwarmStackLabels.image])) {
    const image = digests[written];
    return image ? { image } : { unresolved: true };
  }
  const running = (current?.Spec.TaskTemplate.ContainerSpec as { Image?: string } | undefined)?.Image;
  return policy === "changed" && running ? { image: running } : {};
}
