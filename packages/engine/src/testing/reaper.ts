import type Docker from "dockerode";
import { Labels } from "../base/labels.js";
import { workerPool } from "../base/parallel.js";
import { type Owner, OwnerLabels, currentOwner, ownerAlive } from "./owner.js";

function ignoreGone(err: unknown): void {
  // Another process reaping the same leftovers at the same time got there first.
  const status = (err as { statusCode?: number }).statusCode;
  if (status !== 404 && status !== 409) throw err;
}

const notKept = (labels: Record<string, string> | undefined | null) => labels?.[OwnerLabels.keep] !== "true";

/**
 * Removes the containers (with their anonymous volumes), then networks, then volumes that carry all
 * of `labels` (`key=value`), except those marked to be kept. Returns the projects they belonged to.
 */
export async function removeLabelled(docker: Docker, labels: string[]): Promise<string[]> {
  const filters = { label: labels };
  const projects = new Set<string>();
  const containers = (await docker.listContainers({ all: true, filters })).filter((c) => notKept(c.Labels));
  await workerPool().each(containers, async (c) => {
    projects.add(c.Labels[Labels.project]);
    await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(ignoreGone);
  });
  for (const n of (await docker.listNetworks({ filters })).filter((n) => notKept(n.Labels))) {
    projects.add(n.Labels?.[Labels.project] ?? n.Name);
    await docker.getNetwork(n.Id).remove().catch(ignoreGone);
  }
  for (const v of ((await docker.listVolumes({ filters })).Volumes ?? []).filter((v) => notKept(v.Labels))) {
    projects.add(v.Labels?.[Labels.project] ?? v.Name);
    await docker.getVolume(v.Name).remove().catch(ignoreGone);
  }
  return [...projects];
}

export function ownerFilter(owner: Owner): string[] {
  return [
    `${OwnerLabels.pid}=${owner.pid}`,
    `${OwnerLabels.host}=${owner.host}`,
    `${OwnerLabels.start}=${owner.start}`,
  ];
}

/** Owners named by the labels of resources on this host. */
async function ownersOnThisHost(docker: Docker, host: string): Promise<Owner[]> {
  const filters = { label: [`${OwnerLabels.host}=${host}`] };
  const labelSets = [
    ...(await docker.listContainers({ all: true, filters })).map((c) => c.Labels),
    ...(await docker.listNetworks({ filters })).map((n) => n.Labels ?? {}),
    ...((await docker.listVolumes({ filters })).Volumes ?? []).map((v) => v.Labels ?? {}),
  ];
  const owners = new Map<string, Owner>();
  for (const labels of labelSets) {
    if (!notKept(labels)) continue;
    const owner = { pid: Number(labels[OwnerLabels.pid]), host, start: labels[OwnerLabels.start] ?? "" };
    owners.set(`${owner.pid}/${owner.start}`, owner);
  }
  return [...owners.values()];
}

/**
 * Removes what test stacks of processes that are gone (killed with SIGKILL, crashed past their exit
 * handlers) left on the engine: only resources labelled by an owner on this host that no longer runs.
 * Returns the names of the projects removed.
 */
export async function reapOrphanedTestStacks(docker: Docker): Promise<string[]> {
  const { host } = currentOwner();
  const dead = (await ownersOnThisHost(docker, host)).filter((o) => !ownerAlive(o));
  const removed = await Promise.all(dead.map((o) => removeLabelled(docker, ownerFilter(o))));
  return [...new Set(removed.flat())];
}
