import { rm } from "node:fs/promises";
import type Docker from "dockerode";
import { commandRun, engineCommand } from "../base/engine-command.js";
import { NetworkInUseError } from "../base/errors.js";
import type { EngineEvent, EventListener } from "../base/events.js";
import { Labels } from "../base/labels.js";
import { type ObservedState, observeImages, observeProject } from "../base/observe.js";
import { workerPool } from "../base/parallel.js";
import { runScheduled } from "../base/schedule.js";
import { stopContainer } from "./apply.js";
import { type DownPlan, type DownPlanOptions, imagesToRemove, planDown } from "./down-plan.js";
import { fileObjectDir } from "./file-objects.js";
import { type PlannedStep, downSteps } from "./plan-steps.js";

export interface DownOptions extends DownPlanOptions {
  /** Containers stopped and removed at once; default `COMPOSE_PARALLEL_LIMIT` or 16. */
  parallel?: number;
}

type Emit = (e: Omit<EngineEvent, "elapsedMs">) => void;

function isStatus(err: unknown, ...codes: number[]): boolean {
  return codes.includes((err as { statusCode?: number }).statusCode ?? 0);
}

/** What `down` sees of a project: its containers, networks and volumes, and the images `--rmi` names. */
export async function observeForDown(
  docker: Docker,
  projectName: string,
  opts: DownPlanOptions = {},
): Promise<ObservedState> {
  const observed = await observeProject(docker, projectName, { project: opts.project });
  if (!opts.rmi) return observed;
  const images = imagesToRemove(projectName, observed.containers, opts);
  return { ...observed, images: await observeImages(docker, images) };
}

/** `down --dry-run` (and `wait --down-project --dry-run`): what `down` would do now, as steps; changes nothing. */
export async function dryRunDown(
  docker: Docker,
  projectName: string,
  opts: DownPlanOptions = {},
): Promise<PlannedStep[]> {
  return downSteps(planDown(await observeForDown(docker, projectName, opts), opts));
}

/** `berth down [SERVICE…]`: observe, plan, then remove what the plan says, dependents first. */
export const down = engineCommand("down", async (docker, projectName: string, opts: DownOptions, run) => {
  const plan = planDown(await observeForDown(docker, projectName, opts), opts);
  await applyDown(docker, plan, run.onEvent, opts.parallel);
});

/** Runs a down plan. A network someone else's container still uses is named in the error, never disconnected. */
export async function applyDown(
  docker: Docker,
  plan: DownPlan,
  onEvent: EventListener = () => {},
  parallel?: number,
): Promise<void> {
  const { emit } = commandRun("down", onEvent);
  await removeContainers(docker, plan, emit, parallel);

  for (const k of plan.kept)
    emit({
      kind: k.kind,
      name: k.name,
      action: "Resource is still in use",
      status: "warning",
      detail: k.reason,
    });
  const busy: NetworkInUseError["networks"][number][] = [];
  for (const n of plan.networks) {
    emit({ kind: "network", name: n.name, action: "Removing", status: "working" });
    try {
      await docker.getNetwork(n.id).remove();
      emit({ kind: "network", name: n.name, action: "Removed", status: "done" });
    } catch (err) {
      if (!isStatus(err, 404, 403, 409)) throw err;
      // Disconnecting someone else's container is not ours to do: name it and go on with the rest.
      const outsiders = await outsideContainers(docker, plan.project, n.id);
      if (!outsiders.length) {
        emit({ kind: "network", name: n.name, action: "Resource is still in use", status: "warning" });
        continue;
      }
      const error = new NetworkInUseError([{ network: n.name, containers: outsiders }]);
      emit({ kind: "network", name: n.name, action: "Error", status: "error", detail: error.message, error });
      busy.push(...error.networks);
    }
  }
  for (const v of plan.volumes)
    await removeResource(emit, "volume", v.name, () => docker.getVolume(v.name).remove());
  if (plan.removeFileObjects) await rm(fileObjectDir(plan.project), { recursive: true, force: true });
  for (const image of plan.images)
    await removeResource(emit, "image", image.name, () => docker.getImage(image.name).remove());
  if (busy.length) throw new NetworkInUseError(busy);
}

/** Removes a volume or an image; one still in use is a warning, one already gone is fine. */
async function removeResource(
  emit: Emit,
  kind: "volume" | "image",
  name: string,
  remove: () => Promise<unknown>,
): Promise<void> {
  emit({ kind, name, action: "Removing", status: "working" });
  try {
    await remove();
    emit({ kind, name, action: "Removed", status: "done" });
  } catch (err) {
    if (!isStatus(err, 404, 409)) throw err;
    emit({ kind, name, action: "Resource is still in use", status: "warning" });
  }
}

/** Each service's containers once the services that depend on it are gone. */
async function removeContainers(
  docker: Docker,
  plan: DownPlan,
  emit: Emit,
  parallel?: number,
): Promise<void> {
  const steps = new Map(plan.services.map((s) => [s.service, s.steps]));
  const pool = workerPool({ limit: parallel });
  await runScheduled(new Map(plan.services.map((s) => [s.service, s.after])), async (service) => {
    await Promise.all(
      (steps.get(service) ?? []).map(({ container: c, timeoutSeconds }) =>
        pool.run(async () => {
          const base = { kind: "container", name: c.name, service: c.service } as const;
          emit({ ...base, action: "Stopping", status: "working" });
          await stopContainer(docker, c.id, timeoutSeconds);
          emit({ ...base, action: "Stopped", status: "progress" });
          emit({ ...base, action: "Removing", status: "working" });
          try {
            await docker.getContainer(c.id).remove({ force: true, v: plan.removeAnonymousVolumes });
          } catch (err) {
            if (!isStatus(err, 404, 409)) throw err; // already gone or being removed
          }
          emit({ ...base, action: "Removed", status: "done" });
        }),
      ),
    );
  });
}

/** Names of the containers attached to a network that belong to another project or to none. */
async function outsideContainers(docker: Docker, projectName: string, networkId: string): Promise<string[]> {
  const attached = await docker.listContainers({ all: true, filters: { network: [networkId] } });
  return attached
    .filter((c) => c.Labels?.[Labels.project] !== projectName)
    .map((c) => (c.Names[0] ?? c.Id).replace(/^\//, ""))
    .sort();
}
