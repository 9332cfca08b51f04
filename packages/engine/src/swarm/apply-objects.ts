import type Docker from "dockerode";
import type { EventListener } from "../base/events.js";
import type { DeployPlan } from "./deploy-plan.js";
import { pendingId } from "./deploy-plan.js";

/**
 * Creates the plan's networks, configs and secrets, one after the other; returns the ID each got, by
 * the placeholder the plan's service specs name it with.
 */
export async function createObjects(
  docker: Docker,
  plan: DeployPlan,
  emit: EventListener,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const networks = (async () => {
    for (const { spec } of plan.networks) {
      emit({ kind: "network", name: spec.Name, action: "Creating", status: "working" });
      const created = await docker.createNetwork(spec as unknown as Docker.NetworkCreateOptions);
      ids.set(pendingId("network", spec.Name), created.id);
      emit({ kind: "network", name: spec.Name, action: "Created", status: "done" });
    }
  })();
  const objects = (async () => {
    for (const { spec } of plan.objects) {
      const body = { Name: spec.Name, Labels: spec.Labels, Data: spec.Data };
      const created = (await (spec.kind === "config"
        ? docker.createConfig(body)
        : docker.createSecret(body))) as {
        id?: string;
        ID?: string;
      };
      ids.set(pendingId(spec.kind, spec.Name), created.id ?? created.ID ?? "");
      emit({ kind: "project", name: spec.Name, action: `Created ${spec.kind}`, status: "done" });
    }
  })();
  // Both finish before a failure is reported, so the result is not half-known.
  const settled = await Promise.allSettled([networks, objects]);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failure) throw failure.reason;
  return ids;
}

/** Removes a config or secret `--prune` found unused; one still in use elsewhere is kept with a warning. */
export async function removeObject(
  docker: Docker,
  action: Extract<DeployPlan["prune"][number], { type: "remove-object" }>,
  emit: EventListener,
): Promise<boolean> {
  const { kind, id, name } = action;
  try {
    await (kind === "config" ? docker.getConfig(id).remove() : docker.getSecret(id).remove());
    emit({ kind: "project", name, action: `Removed ${kind}`, status: "done" });
    return true;
  } catch (error) {
    // Still referenced by a service outside the file (or being rolled back to): keep it.
    emit({
      kind: "project",
      name,
      action: `Kept ${kind}`,
      status: "warning",
      detail: error instanceof Error ? error.message : String(error),
    });
    return false;
  }
}
