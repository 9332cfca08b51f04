import type Docker from "dockerode";
import { describe, expect, it } from "vitest";
import type { Clock } from "./poll.js";
import { healthyProbe, runningProbe } from "./probes.js";
import { waitUntilReady } from "./wait.js";

type State = Partial<Docker.ContainerInspectInfo["State"]>;

/** A container whose inspect answers each state in turn, then the last one again; it has no logs. */
function containerThrough(states: State[]): Docker.Container & { looks: () => number } {
  let i = 0;
  const inspect = async () => {
    const state = states[Math.min(i++, states.length - 1)];
    return { State: state, HostConfig: { RestartPolicy: { Name: "no" } }, RestartCount: 0 };
  };
  const logs = async () => {
    throw new Error("no logs in this fake");
  };
  return { inspect, logs, looks: () => i } as unknown as Docker.Container & { looks: () => number };
}

/** Time that passes only when the loop sleeps. */
function fakeClock(): Clock {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
  };
}

const startedAt = new Date().toISOString();
const running: State = { Status: "running", Running: true, StartedAt: startedAt };

describe("runningProbe (up --wait) without a healthcheck", () => {
  it("fails a job seen running once that then exits non-zero", async () => {
    const outcome = await waitUntilReady(
      containerThrough([running, { Status: "exited", Running: false, ExitCode: 3, StartedAt: startedAt }]),
      runningProbe(),
      { clock: fakeClock() },
    );
    expect(outcome).toMatchObject({
      ready: false,
      timedOut: false,
      exitCode: 3,
      state: "exited with code 3",
      lastLogLines: [],
    });
  });

  it("counts a container seen running twice with the same start as up", async () => {
    expect(await waitUntilReady(containerThrough([running]), runningProbe(), { clock: fakeClock() })).toEqual(
      {
        ready: true,
      },
    );
  });

  it("counts a job that exited 0 as completed", async () => {
    const done: State = { Status: "exited", Running: false, ExitCode: 0, StartedAt: startedAt };
    expect(
      await waitUntilReady(containerThrough([running, done]), runningProbe(), { clock: fakeClock() }),
    ).toEqual({ ready: true, completed: true });
  });
});

describe("waitUntilReady", () => {
  it("reports a timeout with the state and what the probe saw last", async () => {
    const starting: State = { ...running, Health: { Status: "starting" } as State["Health"] };
    const container = containerThrough([starting]);
    const outcome = await waitUntilReady(container, healthyProbe, { timeoutMs: 1000, clock: fakeClock() });
    expect(outcome).toEqual({
      ready: false,
      timedOut: true,
      observed: "starting",
      state: "running, starting",
      lastLogLines: [],
    });
    // Looks at 0, 200, … 1000 ms (one interval for every kind of wait), then one inspect for the logs.
    expect(container.looks()).toBe(7);
  });

  it("gives up at once when the probe says it never can succeed", async () => {
    const outcome = await waitUntilReady(containerThrough([running]), healthyProbe, {
      timeoutMs: 60_000,
      clock: fakeClock(),
    });
    expect(outcome).toMatchObject({ ready: false, timedOut: false, fatal: "the service has no healthcheck" });
  });
});
