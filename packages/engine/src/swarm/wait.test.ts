import type Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { EngineErrorCodes } from "../base/errors.js";
import type { EngineEvent } from "../base/events.js";
import type { ApiService, ApiTask } from "./api-types.js";
import { SwarmErrorCodes, SwarmServiceFailedError, SwarmWaitTimeoutError } from "./errors.js";
import { waitForServices } from "./wait.js";

const TEMPLATE = { ContainerSpec: { Image: "img" } };
const SERVICE: ApiService = {
  ID: "svc",
  Version: { Index: 1 },
  Spec: { Name: "shop_api", TaskTemplate: TEMPLATE, Mode: { Replicated: { Replicas: 2 } } },
};

function task(state: string, err?: string): ApiTask {
  return {
    ID: Math.random().toString(36),
    ServiceID: "svc",
    CreatedAt: new Date().toISOString(),
    DesiredState: state === "running" || state === "starting" ? "running" : "shutdown",
    Spec: TEMPLATE,
    Status: { State: state, Err: err, Timestamp: new Date().toISOString() },
  };
}

/** An engine whose task list moves one snapshot further on each poll. */
function engine(snapshots: ApiTask[][]): Docker {
  let poll = 0;
  return {
    listServices: async () => [SERVICE],
    listTasks: async () => snapshots[Math.min(poll++, snapshots.length - 1)],
  } as unknown as Docker;
}

describe("waitForServices", () => {
  it("reports progress per service until the replicas run", async () => {
    const events: EngineEvent[] = [];
    const docker = engine([
      [task("starting"), task("starting")],
      [task("running"), task("starting")],
      [task("running"), task("running")],
    ]);
    await waitForServices(docker, {
      services: { api: "svc" },
      since: 0,
      pollMs: 1,
      onEvent: (e) => events.push(e),
    });
    expect(events.map((e) => `${e.service} ${e.action} ${e.detail}`)).toEqual([
      "api Waiting 0/2 running",
      "api Waiting 1/2 running",
      "api Running 2/2 running",
    ]);
  });

  it("fails naming the service and the task error", async () => {
    const docker = engine([
      [task("failed", "starting container failed: no such file"), task("rejected", "no such image")],
    ]);
    const error = await waitForServices(docker, { services: { api: "svc" }, since: 0, pollMs: 1 }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(SwarmServiceFailedError);
    expect(error.code).toBe(SwarmErrorCodes.serviceFailed);
    expect(error.message).toMatch(/^service api failed: /);
  });

  it("times out naming the services not converged", async () => {
    const docker = engine([[task("starting")]]);
    const error = await waitForServices(docker, {
      services: { api: "svc" },
      since: 0,
      pollMs: 5,
      timeoutSeconds: 0.02,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(SwarmWaitTimeoutError);
    expect(error.message).toMatch(/not converged after 0.02s: api/);
  });
  it("stops at once when its signal aborts (Ctrl-C), without waiting out the poll interval", async () => {
    const docker = engine([[task("starting")]]);
    const controller = new AbortController();
    const waiting = waitForServices(docker, {
      services: { api: "svc" },
      since: 0,
      // Far beyond the test's timeout: only an abortable pause lets the wait end.
      pollMs: 10 * 60_000,
      signal: controller.signal,
    }).catch((e) => e);
    setTimeout(() => controller.abort(), 20);
    // The readiness loop's one abort error, as for up --wait and startTestStack.
    expect(await waiting).toMatchObject({
      code: EngineErrorCodes.aborted,
      message: "waiting was interrupted",
    });
  });

  it("wakes at a container event of the stack instead of waiting out the poll interval", async () => {
    const { PassThrough } = await import("node:stream");
    const events = new PassThrough();
    let polls = 0;
    const docker = {
      listServices: async () => [SERVICE],
      listTasks: async () => (++polls === 1 ? [task("starting")] : [task("running"), task("running")]),
      getEvents: async () => events,
    } as unknown as Docker;
    const waiting = waitForServices(docker, {
      services: { api: "svc" },
      since: 0,
      stack: "shop",
      pollMs: 10 * 60_000,
    });
    setTimeout(() => events.write('{"Type":"container","Action":"start"}\n'), 20);
    await waiting;
    expect(polls).toBe(2);
  });
});
