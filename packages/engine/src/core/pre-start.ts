import type { PreStartHook, Project, ServiceConfig } from "@berth/compose-schema";
import type Docker from "dockerode";
import { containerLogLines } from "../base/container-logs.js";
import { AbortedError, ServiceFailedError } from "../base/errors.js";
import { COMPOSE_VERSION, Labels } from "../base/labels.js";
import { workerPool } from "../base/parallel.js";
import { type ContainerSpec, imageOf } from "./container-spec.js";
import type { ContainerAction } from "./plan.js";

/** docker compose's value of `com.docker.compose.hook` on pre_start containers. */
export const PRE_START_HOOK = "pre_start";

/** Lines of a failed hook's output shown in the error. */
const LAST_LINES = 10;

/**
 * Whether `up` runs the service's pre_start hooks, as docker compose decides: only when none of the
 * service's containers is already running (first up, recreate, start after stop), so a no-op `up`
 * runs nothing.
 */
export function runsPreStart(service: ServiceConfig, actions: readonly ContainerAction[]): boolean {
  if (!service.pre_start?.length) return false;
  const toStart = actions.filter((a) => a.type === "create" || a.type === "recreate" || a.type === "start");
  const stillRunning = actions.some(
    (a) =>
      a.type === "restart" ||
      (a.type === "keep" && ["running", "restarting", "paused"].includes(a.container.state)),
  );
  return toStart.length > 0 && !stillRunning;
}

/**
 * The pre_start hooks' own images (not their service's) of the services `names`, as services that
 * `ensureImagesThenObserve` pulls with the others, as compose does: under the service's pull_policy, `build` read as
 * `missing` (a hook image cannot be built), none for `never`. Named `<service>:pre_start <index>`.
 */
export function hookImageServices(project: Project, names: readonly string[]): ServiceConfig[] {
  const out: ServiceConfig[] = [];
  for (const name of names) {
    const service = project.services[name];
    if (!service || service.pull_policy === "never") continue;
    const own = imageOf(project, service);
    for (const [index, hook] of (service.pre_start ?? []).entries()) {
      if (!hook.image || hook.image === own) continue;
      const hookService: ServiceConfig = { name: `${name}:pre_start ${index}`, image: hook.image };
      if (service.pull_policy)
        hookService.pull_policy = service.pull_policy === "build" ? "missing" : service.pull_policy;
      out.push(hookService);
    }
  }
  return out;
}

/**
 * The container of hook `hook` of a service whose (created, not started) container `target` the hook
 * prepares: the hook's image (the service's by default) and command, the service's environment with
 * the hook's over it, the service container's volumes (VolumesFrom) and networks. As compose, it is
 * labelled with the project, the service and `com.docker.compose.hook`, and has no container number.
 */
export function preStartSpec(
  project: Project,
  service: ServiceConfig,
  hook: PreStartHook,
  target: { id: string; spec: ContainerSpec },
): ContainerSpec {
  const base = target.spec.options;
  const env = Object.entries(hook.environment ?? {}).map(([k, v]) => (v === null ? k : `${k}=${v}`));
  const options: Docker.ContainerCreateOptions = {
    Image: hook.image ?? base.Image,
    Env: [...(base.Env ?? []), ...env],
    Labels: {
      [Labels.project]: project.name,
      [Labels.service]: service.name,
      [Labels.version]: COMPOSE_VERSION,
      [Labels.hook]: PRE_START_HOOK,
    },
    HostConfig: {
      NetworkMode: base.HostConfig?.NetworkMode,
      VolumesFrom: [target.id],
      Privileged: hook.privileged ?? false,
    },
  };
  if (hook.command) options.Cmd = hook.command;
  if (hook.user) options.User = hook.user;
  if (hook.working_dir) options.WorkingDir = hook.working_dir;
  if (base.NetworkingConfig) options.NetworkingConfig = base.NetworkingConfig;
  return { name: "", options, extraNetworks: target.spec.extraNetworks, pending: [] };
}

/**
 * Runs the service's pre_start hooks one after the other, each to completion in its own container.
 * A hook that succeeds is removed; one that fails is kept for `docker logs`, and the service fails with
 * its exit code and last lines; on `signal`, the running hook is removed and AbortedError thrown. Hook
 * containers left by an earlier failed run are removed first.
 */
export async function runPreStart(
  docker: Docker,
  project: Project,
  service: ServiceConfig,
  target: { id: string; spec: ContainerSpec },
  connect: (container: string, extra: ContainerSpec["extraNetworks"][number]) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const hooks = service.pre_start ?? [];
  const perReplica = hooks.findIndex((h) => h.per_replica);
  if (perReplica >= 0) {
    // docker compose refuses it too: running a hook per replica is not implemented there yet.
    throw new ServiceFailedError(
      service.name,
      `pre_start[${perReplica}]: per_replica is not supported yet; remove per_replica or set it to false`,
    );
  }
  await removeStaleHooks(docker, project.name, service.name);
  for (const [index, hook] of hooks.entries()) {
    const spec = preStartSpec(project, service, hook, target);
    const container = await docker.createContainer(spec.options);
    try {
      for (const extra of spec.extraNetworks) await connect(container.id, extra);
      await container.start();
    } catch (err) {
      await container.remove({ force: true, v: true }).catch(() => {});
      throw err;
    }
    // Ctrl-C: as compose, the hook is removed (which ends the wait), not kept as a failure.
    let removing: Promise<unknown> | undefined;
    const abort = () => {
      removing ??= container.remove({ force: true, v: true }).catch(() => {});
    };
    signal?.addEventListener("abort", abort, { once: true });
    let StatusCode = -1;
    try {
      if (signal?.aborted) abort();
      ({ StatusCode } = (await container.wait()) as { StatusCode: number });
    } catch (err) {
      if (!signal?.aborted) throw err;
    } finally {
      signal?.removeEventListener("abort", abort);
    }
    if (signal?.aborted) {
      abort();
      await removing;
      throw new AbortedError("up");
    }
    if (StatusCode === 0) {
      await container.remove({ v: true });
      continue;
    }
    const lines = await containerLogLines(container, LAST_LINES).catch(() => []);
    const tail = lines.length ? "; its last log lines follow" : "";
    throw new ServiceFailedError(
      service.name,
      `pre_start[${index}] exited with code ${StatusCode} (hook container ${container.id.slice(0, 12)} kept for inspection)${tail}`,
      { detail: lines.join("\n") },
    );
  }
}

async function removeStaleHooks(docker: Docker, project: string, service: string): Promise<void> {
  const stale = await docker.listContainers({
    all: true,
    filters: {
      label: [
        `${Labels.project}=${project}`,
        `${Labels.service}=${service}`,
        `${Labels.hook}=${PRE_START_HOOK}`,
      ],
    },
  });
  await workerPool().each(stale, async (c) => {
    await docker.getContainer(c.Id).remove({ force: true, v: true });
  });
}
