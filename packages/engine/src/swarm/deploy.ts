import type { Project } from "@berth/compose-schema";
import type Docker from "dockerode";
import type { EngineEvent, EventListener } from "../events.js";
import { defaultParallel } from "../parallel.js";
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
  /** Services created or updated at once; `defaultParallel()` by default. */
  parallel?: number;
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

  // Everything that can refuse the file runs before the first object is created; the engine answers
  // the independent questions at once.
  const check = checkSwarmSupport(project);
  if (check.errors.length > 0) throw new SwarmUnsupportedError(check.errors);
  const externalsAsked = checkExternals(docker, project);
  const objectsRead = readObjects(project, stack, env);
  // Outside a swarm the other questions fail too: "not in a swarm" is the error worth showing.
  externalsAsked.catch(() => {});
  objectsRead.catch(() => {});
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
  if (info.Swarm?.LocalNodeState !== "active" || !info.Swarm.ControlAvailable) throw new NotInSwarmError();
  const [externals, objectSpecs] = await Promise.all([externalsAsked, objectsRead]);

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

  options.signal?.throwIfAborted();
  const [networkIds, objectRefs, listed] = await Promise.all([
    ensureNetworks(docker, project, stack, emit),
    ensureObjects(docker, stack, objectSpecs, emit),
    docker.listServices({ filters: namespaceFilter(stack) }) as unknown as Promise<ApiService[]>,
  ]);
  const refs = { ...externals, ...objectRefs };
  const byKind = (kind: string) =>
    Object.fromEntries(
      Object.entries(refs)
        .filter(([k]) => k.startsWith(`${kind}:`))
        .map(([k, v]) => [k.slice(kind.length + 1), v]),
    ) as Record<string, ObjectRef>;
  const configs = byKind("config");
  const secrets = byKind("secret");

  const existing = new Map(listed.map((s) => [s.Spec.Name, s] as const));
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
  // One registry question per image, however many services run it (the answer cannot differ).
  const digests = new Map<string, Promise<string | undefined>>();
  const services = Object.values(project.services);
  const outcome: ("created" | "updated" | "unchanged")[] = [];

  // Services are independent on Swarm (no depends_on order), so they are created and updated together,
  // up to the parallel limit: one at a time cost ~100 ms per service on a busy engine.
  const converge = async (index: number) => {
    const service = services[index] as (typeof services)[number];
    const written = service.image ?? "";
    const spec = serviceSpec({ stack, project, service, configs, secrets, env });
    const current = existing.get(spec.Name);
    for (const n of spec.TaskTemplate.Networks ?? []) n.Target = networkIds[n.Target] ?? n.Target;
    const auth = options.withRegistryAuth ? await registryAuth(written) : undefined;
    const image = await imageFor(docker, options.resolveImage ?? "always", written, current, auth, digests);
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
    // Ctrl-C stops before the next engine change; what was already sent stays deployed.
    options.signal?.throwIfAborted();
    const base = { kind: "service" as const, name: spec.Name, service: service.name };
    if (!current) {
      emit({ ...base, action: "Creating", status: "working" });
      // Two arguments, so dockerode sends only the credentials (or none) as X-Registry-Auth.
      const created = await docker.createService(
        auth as Docker.AuthConfig,
        spec as unknown as Docker.ServiceSpec,
      );
      ids[service.name] = created.id;
      outcome[index] = "created";
      emit({ ...base, action: "Created", status: "done" });
      return;
    }
    ids[service.name] = current.ID;
    // Keep the engine's force-update counter, or every deploy would restart every task.
    spec.TaskTemplate.ForceUpdate = current.Spec.TaskTemplate.ForceUpdate;
    const changed = specDiff(spec, current.Spec);
    if (changed.length === 0) {
      outcome[index] = "unchanged";
      emit({ ...base, action: "Up-to-date", status: "skipped" });
      return;
    }
    emit({ ...base, action: "Updating", status: "working", detail: `changed: ${changed.join(", ")}` });
    const response = (await docker.getService(current.ID).update({
      _query: { version: current.Version.Index },
      _body: spec,
      authconfig: auth,
    })) as { Warnings?: string[] | null };
    for (const warning of response?.Warnings ?? [])
      emit({ ...base, action: "Warning", status: "warning", detail: warning });
    outcome[index] = "updated";
    emit({ ...base, action: "Updated", status: "done" });
  };
  let next = 0;
  let stop = false;
  const worker = async () => {
    while (!stop && next < services.length) {
      try {
        await converge(next++);
      } catch (error) {
        stop = true;
        throw error;
      }
    }
  };
  const workers = Array.from(
    { length: Math.min(options.parallel ?? defaultParallel(), services.length) },
    worker,
  );
  // Let every started request finish before a failure is reported, so the result is not half-known.
  const settled = await Promise.allSettled(workers);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failure) throw failure.reason;
  // Results in the file's order, whatever order the engine answered in.
  services.forEach((service, i) => {
    const kind = outcome[i];
    if (kind) result[kind].push(service.name);
  });

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
      stack,
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
  digests: Map<string, Promise<string | undefined>>,
): Promise<{ pinned?: string; unresolved?: boolean }> {
  const previous = current?.Spec.Labels?.[StackLabels.image];
  if (!mustResolve(policy, written, previous)) {
    // `changed` with the same written image keeps whatever the service runs now.
    const running = (current?.Spec.TaskTemplate.ContainerSpec as { Image?: string } | undefined)?.Image;
    return policy === "changed" && running ? { pinned: running } : {};
  }
  let digest = digests.get(written);
  if (!digest) {
    digest = digestOf(docker, written, auth);
    digests.set(written, digest);
  }
  const pinned = await digest;
  return pinned ? { pinned } : { unresolved: true };
}
