import type { Project } from "@berth/compose-schema";
import type Docker from "dockerode";
import { engineCommand } from "../base/engine-command.js";
import type { EngineEvent, EventListener } from "../base/events.js";
import { workerPool } from "../base/parallel.js";
import { registryAuth } from "../base/registry-auth.js";
import { createObjects, removeObject } from "./apply-objects.js";
import { observeSwarmStack, readObjects } from "./deploy-observe.js";
import { type DeployPlan, planDeploy } from "./deploy-plan.js";
import { SwarmUnsupportedError } from "./errors.js";
import type { ResolveImage } from "./resolve-image.js";
import type { SwarmServiceSpec } from "./service-spec.js";
import { checkSwarmSupport } from "./unsupported.js";
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
  /** Engine requests at once (digests, service creates and updates); `defaultParallel()` by default. */
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

/**
 * What `deploy` would do to the swarm, and why: observes the stack (reads only) and plans. Everything
 * that can refuse the file runs before the engine is asked anything.
 */
export async function planSwarmStackDeploy(
  docker: Docker,
  project: Project,
  options: DeployOptions = {},
): Promise<DeployPlan> {
  const stack = options.stack ?? project.name;
  const env = options.env ?? process.env;
  const check = checkSwarmSupport(project);
  if (check.errors.length > 0) throw new SwarmUnsupportedError(check.errors);
  const objectsRead = readObjects(project, stack, env);
  objectsRead.catch(() => {});
  const resolveImage = options.resolveImage ?? "always";
  const observed = await observeSwarmStack(docker, project, stack, {
    resolveImage,
    withRegistryAuth: options.withRegistryAuth,
    parallel: options.parallel,
  });
  return planDeploy({
    project,
    stack,
    observed,
    objects: await objectsRead,
    warnings: check.warnings,
    resolveImage,
    prune: options.prune ?? false,
    hasIpvs: options.hasIpvs ?? true,
    env,
  });
}

/** Converges the Swarm stack to the project, as `docker stack deploy` does, then waits for it. */
export const deploy = engineCommand(
  "deploy",
  async (docker, project: Project, options: DeployOptions, run) => {
    const plan = await planSwarmStackDeploy(docker, project, options);
    run.checkAborted();
    const { result, ids } = await applyDeployPlan(docker, plan, options, run.emit);
    if (!options.detach) {
      await waitForServices(docker, {
        services: ids,
        since: run.startedAt,
        stack: plan.stack,
        timeoutSeconds: options.waitTimeoutSeconds,
        onEvent: run.emit,
        signal: options.signal,
      });
    }
    return result;
  },
);

/** Runs a deploy plan: decides nothing, only acts and reports. Returns the ID of every service. */
async function applyDeployPlan(
  docker: Docker,
  plan: DeployPlan,
  options: Pick<DeployOptions, "withRegistryAuth" | "parallel" | "signal">,
  emit: EventListener,
): Promise<{ result: DeployResult; ids: Record<string, string> }> {
  for (const w of plan.warnings) {
    emit({
      kind: w.kind,
      name: w.name,
      service: w.service,
      action: "Warning",
      status: "warning",
      detail: w.detail,
    });
  }
  const created = await createObjects(docker, plan, emit);
  const result: DeployResult = {
    stack: plan.stack,
    created: [],
    updated: [],
    unchanged: [],
    removed: [],
    prunedObjects: [],
  };
  const ids: Record<string, string> = {};
  for (const a of plan.services) if (a.type !== "create-service") ids[a.service] = a.id;

  // Services are independent on Swarm (no depends_on order), so they are created and updated together,
  // up to the parallel limit: one at a time cost ~100 ms per service on a busy engine.
  // After a failure or Ctrl-C nothing new is sent; what was already sent stays deployed.
  const pool = workerPool({ limit: options.parallel, signal: options.signal, operation: "deploy" });
  const converge = async (action: DeployPlan["services"][number]) => {
    const base = { kind: "service" as const, service: action.service };
    if (action.type === "keep-service") {
      emit({ ...base, name: action.name, action: "Up-to-date", status: "skipped" });
      return;
    }
    const spec = withCreatedIds(action.spec, created);
    const auth = options.withRegistryAuth ? await registryAuth(action.image) : undefined;
    if (action.type === "create-service") {
      emit({ ...base, name: spec.Name, action: "Creating", status: "working" });
      // Two arguments, so dockerode sends only the credentials (or none) as X-Registry-Auth.
      const response = await docker.createService(
        auth as Docker.AuthConfig,
        spec as unknown as Docker.ServiceSpec,
      );
      ids[action.service] = response.id;
      emit({ ...base, name: spec.Name, action: "Created", status: "done" });
      return;
    }
    emit({ ...base, name: spec.Name, action: "Updating", status: "working", detail: action.reason });
    const response = (await docker.getService(action.id).update({
      _query: { version: action.version },
      _body: spec,
      authconfig: auth,
    })) as { Warnings?: string[] | null };
    for (const warning of response?.Warnings ?? [])
      emit({ ...base, name: spec.Name, action: "Warning", status: "warning", detail: warning });
    emit({ ...base, name: spec.Name, action: "Updated", status: "done" });
  };
  // Every started request finishes before a failure is reported, so the result is not half-known.
  await pool.each(plan.services, converge);
  // Results in the file's order, whatever order the engine answered in.
  const listed = {
    "create-service": result.created,
    "update-service": result.updated,
    "keep-service": result.unchanged,
  };
  for (const a of plan.services) listed[a.type].push(a.service);

  for (const action of plan.prune) {
    if (action.type === "remove-service") {
      await docker.getService(action.id).remove();
      result.removed.push(action.name);
      emit({ kind: "service", name: action.name, action: "Removed", status: "done" });
    } else if (await removeObject(docker, action, emit)) result.prunedObjects.push(action.name);
  }
  return { result, ids };
}

/** The spec with the IDs of the networks, configs and secrets this run created in place of the plan's placeholders. */
function withCreatedIds(spec: SwarmServiceSpec, created: ReadonlyMap<string, string>): SwarmServiceSpec {
  if (created.size === 0) return spec;
  const id = (value: unknown) => (typeof value === "string" ? (created.get(value) ?? value) : value);
  const container = spec.TaskTemplate.ContainerSpec;
  const files = (key: string, idKey: string) =>
    (container[key] as Record<string, unknown>[] | undefined)?.map((f) => ({ ...f, [idKey]: id(f[idKey]) }));
  return {
    ...spec,
    TaskTemplate: {
      ...spec.TaskTemplate,
      ContainerSpec: {
        ...container,
        ...(container.Configs ? { Configs: files("Configs", "ConfigID") } : {}),
        ...(container.Secrets ? { Secrets: files("Secrets", "SecretID") } : {}),
      },
      Networks: spec.TaskTemplate.Networks?.map((n) => ({ ...n, Target: id(n.Target) as string })),
    },
  };
}
