import { byteOrder } from "../base/byte-order.js";
import type { ApiService, ApiTask } from "./api-types.js";
import { taskMatches } from "./compare.js";

export type ServiceProgressState = "waiting" | "updating" | "converged" | "failed" | "rolled-back";

export interface ServiceProgress {
  state: ServiceProgressState;
  /** Tasks running the current spec. */
  running: number;
  desired: number;
  /** "2/3 running", "updating 1/3"; the reason when failed. */
  text: string;
}

const FAILED_STATES = new Set(["failed", "rejected"]);
/** Failed tasks of a service not being updated before Berth calls it failing (a restart loop). */
const FAILURES_BEFORE_GIVING_UP = 2;

function desiredCount(service: ApiService, tasks: ApiTask[]): number {
  const mode = service.Spec.Mode as {
    Replicated?: { Replicas?: number };
    ReplicatedJob?: { TotalCompletions?: number };
  };
  if (mode.Replicated) return mode.Replicated.Replicas ?? 1;
  if (mode.ReplicatedJob) return mode.ReplicatedJob.TotalCompletions ?? 1;
  // Global services: the engine's own count, else one per node with a task meant to run.
  return (
    service.ServiceStatus?.DesiredTasks ??
    new Set(tasks.filter((t) => t.DesiredState === "running").map((t) => t.NodeID)).size
  );
}

function isJob(service: ApiService): boolean {
  const mode = service.Spec.Mode;
  return "ReplicatedJob" in mode || "GlobalJob" in mode;
}

/** The error of the most recent failed task, as the engine words it. */
export function lastTaskError(tasks: ApiTask[]): string | undefined {
  const failed = tasks
    .filter((t) => FAILED_STATES.has(t.Status.State))
    .sort((a, b) => byteOrder(a.Status.Timestamp ?? a.CreatedAt, b.Status.Timestamp ?? b.CreatedAt));
  const last = failed.at(-1);
  return last ? (last.Status.Err ?? last.Status.Message ?? last.Status.State) : undefined;
}

/**
 * Where one service stands, from its engine state and its tasks. Only what happened since `since`
 * (ms, the deploy's start) counts, so an old rollback or old failures do not fail a new deploy. Pure.
 */
export function assessService(service: ApiService, tasks: ApiTask[], since: number): ServiceProgress {
  const own = tasks.filter((t) => t.ServiceID === service.ID);
  const recent = (iso: string | undefined) => iso !== undefined && Date.parse(iso) >= since;
  const update = recent(service.UpdateStatus?.StartedAt) ? service.UpdateStatus : undefined;
  const desired = desiredCount(service, own);
  const live = own.filter((t) => t.DesiredState === "running");
  const current = live.filter(
    (t) => t.Status.State === "running" && taskMatches(service.Spec.TaskTemplate, t.Spec),
  );
  const running = current.length;
  const recentError = lastTaskError(own.filter((t) => recent(t.CreatedAt)));

  switch (update?.State) {
    case "rollback_started":
    case "rollback_paused":
    case "rollback_completed": {
      const reason = [update.Message, recentError].filter(Boolean).join(": ") || "update failed";
      return { state: "rolled-back", running, desired, text: reason };
    }
    case "paused":
      return {
        state: "failed",
        running,
        desired,
        text: [update.Message, recentError].filter(Boolean).join(": ") || "update paused",
      };
    case "updating":
      return { state: "updating", running, desired, text: `updating ${running}/${desired}` };
  }

  if (isJob(service)) {
    const completed = own.filter((t) => t.Status.State === "complete").length;
    const done = completed >= desired;
    return {
      state: done ? "converged" : "waiting",
      running: completed,
      desired,
      text: `${completed}/${desired} completed`,
    };
  }
  const failures = own.filter((t) => recent(t.CreatedAt) && FAILED_STATES.has(t.Status.State)).length;
  if (failures >= FAILURES_BEFORE_GIVING_UP && recentError) {
    return { state: "failed", running, desired, text: recentError };
  }
  // Converged once every task meant to run runs the current spec: old tasks still running mean a
  // rollout the engine has not reported yet.
  const converged = running === desired && live.length === desired;
  return {
    state: converged ? "converged" : "waiting",
    running,
    desired,
    text: `${running}/${desired} running`,
  };
}
