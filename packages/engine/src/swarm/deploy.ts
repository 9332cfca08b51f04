import type { Project } from "@berth/compose-schema";
import type Docker from "dockerode";
import type { EngineEvent, EventListener } from "../events.js";
import { registryAuth } from "../registry-auth.js";
import type { ApiService } from "./api-types.js";
import { checkExternals, ensureNetworks, ensureObjects, pruneObjects, readObjects } from "./apply-objects.js";
import { specDiff } from "./compare.js";
import { NotInSwarmError, SwarmUnsupportedError, describeIssue } from "./errors.js";
import { StackLabels, namespaceFilter } from "./labels.js";
import { type ResolveImage, digestOf, mustResolve } from "./resolve-image.js";
import { type ObjectRef, serviceSpec } from "./service-spec.js";
import { checkSwarmSupport, ipvsWarning } from "./unsupported.js";
import { waitForServices } from "./wait.js";

export interface DeployOptions {
  /** Stack name; the project's name by default. */
  stack?: string;
  /** Remove the stack's services the file no longer has, and configs and secrets no service uses. */
  prune?: boolean;
  /** Return once the engine accepted the specs, without waiting for the tasks. */
  detach?: boolean;
  waitTimeoutSeconds?: number;
  withRegistryAuth?: boolean;
  resolveImage?: ResolveImage;
  /** Whether the kernel under the engine has IPVS (see `localKernelHasIpvs`). */
  hasIpvs?: boolean;
  /** Values for `environment` entries and `environment:` configs; the process's by default. */
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
}

export interface DeployResult {
  stack: string;
  created: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
  /** Configs and secrets removed by `prune`. */
  prunedObjects: string[];
}

/** Converges the Swarm stack to the project, as `docker stack deploy` does, then waits for it. */
export async function deploy(
  docker: Docker,
  project: Project,
  options: DeployOptions = {},
  onEvent: EventListener = () => {},
): Promise<DeployResult> {
  const since = Date.now();
  const stack = options.stack ?? project.name;
  const env = options.env ?? process.env;
  const emit = (event: EngineEvent) => onEvent({ ...event, elapsedMs: Date.now() - since });

  // Everything that can refuse the file runs before the first object is created.
  const check = checkSwarmSupport(project);
  if (check.errors.length > 0) throw new SwarmUnsupportedError(check.errors);
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
  if (info.Swarm?.LocalNodeState !== "active" || !info.Swarm.ControlAvailable) throw new NotInSwarmError();
  const externals = await checkExternals(docker, project);
  const objectSpecs = await readObjects(project, stack, env);

  const warnings = [...check.warnings];
  const ipvs = ipvsWarning(project, options.hasIpvs ?? true);
  if (ipvs) warnings.push(ipvs);
  for (const w of warnings) {
    emit({
      kind: "project",
      name: stack,
      service: w.service,
      action: "Warning",
      status: "warning",
      detail: describeIssue(w),
    });
  }

  const networkIds = await ensureNetworks(docker, project, stack, emit);
  const refs = { ...externals, ...(await ensureObjects(docker, stack, objectSpecs, emit)) };
  const byKind = (kind: string) =>
    Object.fromEntries(
      Object.entries(refs)
        .filter(([k]) => k.startsWith(`${kind}:`))
        .map(([k, v]) => [k.slice(kind.length + 1), v]),
    ) as Record<string, ObjectRef>;
  const configs = byKind("config");
  const secrets = byKind("secret");

  const existing = new Map(
    ((await docker.listServices({ filters: namespaceFilter(stack) })) as unknown as ApiService[]).map(
      (s) => [s.Spec.Name, s] as const,
    ),
  );
  const result: DeployResult = {
    stack,
    created: [],
    updated: [],
    unchanged: [],
    removed: [],
    prunedObjects: [],
  };
  const ids: Record<string, string> = {};
  const unresolved = new Set<string>();

  for (const service of Object.values(project.services)) {
    const written = service.image ?? "";
    const spec = serviceSpec({ stack, project, service, configs, secrets, env });
    const current = existing.get(spec.Name);
    for (const n of spec.TaskTemplate.Networks ?? []) n.Target = networkIds[n.Target] ?? n.Target;
    const auth = options.withRegistryAuth ? await registryAuth(written) : undefined;
    const image = await imageFor(docker, options.resolveImage ?? "always", written, current, auth);
    if (image.pinned) spec.TaskTemplate.ContainerSpec.Image = image.pinned;
    else if (image.unresolved && !unresolved.has(written)) {
      unresolved.add(written);
      emit({
        kind: "image",
        name: written,
        service: service.name,
        action: "Warning",
        status: "warning",
        detail: `image ${written} could not be resolved to a digest on its registry: each node runs its own copy of the tag`,
      });
    }
    const base = { kind: "service" as const, name: spec.Name, service: service.name };
    if (!current) {
      emit({ ...base, action: "Creating", status: "working" });
      // Two arguments, so dockerode sends only the credentials (or none) as X-Registry-Auth.
      const created = await docker.createService(
        auth as Docker.AuthConfig,
        spec as unknown as Docker.ServiceSpec,
      );
      ids[service.name] = created.id;
      result.created.push(service.name);
      emit({ ...base, action: "Created", status: "done" });
      continue;
    }
    ids[service.name] = current.ID;
    // Keep the engine's force-update counter, or every deploy would restart every task.
    spec.TaskTemplate.ForceUpdate = current.Spec.TaskTemplate.ForceUpdate;
    const changed = specDiff(spec, current.Spec);
    if (changed.length === 0) {
      result.unchanged.push(service.name);
      emit({ ...base, action: "Up-to-date", status: "skipped" });
      continue;
    }
    emit({ ...base, action: "Updating", status: "working", detail: `changed: ${changed.join(", ")}` });
    const response = (await docker.getService(current.ID).update({
      _query: { version: current.Version.Index },
      _body: spec,
      authconfig: auth,
    })) as { Warnings?: string[] | null };
    for (const warning of response?.Warnings ?? [])
      emit({ ...base, action: "Warning", status: "warning", detail: warning });
    result.updated.push(service.name);
    emit({ ...base, action: "Updated", status: "done" });
  }

  if (options.prune) {
    const wanted = new Set(Object.values(project.services).map((s) => `${stack}_${s.name}`));
    for (const [name, service] of existing) {
      if (wanted.has(name)) continue;
      await docker.getService(service.ID).remove();
      result.removed.push(name);
      emit({ kind: "service", name, action: "Removed", status: "done" });
    }
    const keep = new Set(Object.values(refs).map((r) => r.name));
    result.prunedObjects = await pruneObjects(docker, stack, keep, emit);
  }

  if (!options.detach) {
    await waitForServices(docker, {
      services: ids,
      since,
      timeoutSeconds: options.waitTimeoutSeconds,
      onEvent: emit,
      signal: options.signal,
    });
  }
  return result;
}

async function imageFor(
  docker: Docker,
  policy: ResolveImage,
  written: string,
  current: ApiService | undefined,
  auth: Awaited<ReturnType<typeof registryAuth>>,
): Promise<{ pinned?: string; unresolved?: boolean }> {
  const previous = current?.Spec.Labels?.[StackLabels.image];
  if (!mustResolve(policy, written, previous)) {
    // `changed` with the same written image keeps whatever the service runs now.
    const running = (current?.Spec.TaskTemplate.ContainerSpec as { Image?: string } | undefined)?.Image;
    return policy === "changed" && running ? { pinned: running } : {};
  }
  const pinned = await digestOf(docker, written, auth);
  return pinned ? { pinned } : { unresolved: true };
}
