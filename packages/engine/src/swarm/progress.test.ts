import { describe, expect, it } from "vitest";
import type { ApiService, ApiTask } from "./api-types.js";
import { assessService } from "./progress.js";

const SINCE = Date.parse("2026-01-01T00:00:00Z");
const iso = (s: number) => new Date(SINCE + s * 1000).toISOString();
const TEMPLATE = { ContainerSpec: { Image: "img", Args: ["new"] } };
const OLD = { ContainerSpec: { Image: "img", Args: ["old"] } };

function service(extra: Partial<ApiService> = {}, replicas = 2): ApiService {
  return {
    ID: "svc",
    Version: { Index: 1 },
    Spec: { Name: "shop_api", TaskTemplate: TEMPLATE, Mode: { Replicated: { Replicas: replicas } } },
    ...extra,
  };
}

function task(
  state: string,
  opts: { spec?: unknown; desired?: string; at?: number; err?: string } = {},
): ApiTask {
  return {
    ID: Math.random().toString(36),
    ServiceID: "svc",
    CreatedAt: iso(opts.at ?? 1),
    DesiredState: opts.desired ?? "running",
    Spec: opts.spec ?? TEMPLATE,
    Status: { State: state, Timestamp: iso(opts.at ?? 1), Err: opts.err },
  };
}

describe("assessService", () => {
  it("counts running tasks of the current spec", () => {
    const p = assessService(service(), [task("running"), task("starting")], SINCE);
    expect(p).toEqual({ state: "waiting", running: 1, desired: 2, text: "1/2 running" });
    expect(assessService(service(), [task("running"), task("running")], SINCE).state).toBe("converged");
  });

  it("is not converged while an old task still runs", () => {
    const p = assessService(service({}, 1), [task("running", { spec: OLD }), task("pending")], SINCE);
    expect(p.state).toBe("waiting");
  });

  it("reports an update in progress", () => {
    const s = service({ UpdateStatus: { State: "updating", StartedAt: iso(1) } });
    const p = assessService(s, [task("running"), task("running", { spec: OLD })], SINCE);
    expect(p).toMatchObject({ state: "updating", text: "updating 1/2" });
  });

  it("reports a rollback with the engine's message and the task error", () => {
    const s = service({
      UpdateStatus: { State: "rollback_completed", StartedAt: iso(1), Message: "rollback completed" },
    });
    const p = assessService(
      s,
      [task("failed", { desired: "shutdown", err: "task: non-zero exit (1)" })],
      SINCE,
    );
    expect(p).toMatchObject({ state: "rolled-back", text: "rollback completed: task: non-zero exit (1)" });
  });

  it("ignores a rollback from before this deploy", () => {
    const s = service({ UpdateStatus: { State: "rollback_completed", StartedAt: iso(-60) } }, 1);
    expect(assessService(s, [task("running")], SINCE).state).toBe("converged");
  });

  it("fails a service whose tasks keep failing, with the latest error", () => {
    const tasks = [
      task("failed", { desired: "shutdown", at: 1, err: "first" }),
      task("rejected", { desired: "shutdown", at: 2, err: "No such image: img" }),
      task("pending", { at: 3 }),
    ];
    expect(assessService(service({}, 1), tasks, SINCE)).toMatchObject({
      state: "failed",
      text: "No such image: img",
    });
  });

  it("counts completed tasks of a job", () => {
    const s = service();
    s.Spec.Mode = { ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } };
    s.ServiceStatus = { RunningTasks: 0, DesiredTasks: 1 };
    expect(assessService(s, [task("complete", { desired: "complete" })], SINCE)).toMatchObject({
      state: "converged",
      text: "1/1 completed",
    });
  });
});
