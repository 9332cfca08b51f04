import type Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { waitRunning } from "./wait.js";

type State = Partial<Docker.ContainerInspectInfo["State"]>;

/** A container whose inspect answers each state in turn, then the last one again. */
function containerThrough(states: State[]): Docker.Container {
  let i = 0;
  const inspect = async () => {
    const state = states[Math.min(i++, states.length - 1)];
    return { State: state, HostConfig: { RestartPolicy: { Name: "no" } }, RestartCount: 0 };
  };
  return { inspect } as unknown as Docker.Container;
}

const startedAt = new Date().toISOString();
const running: State = { Status: "running", Running: true, StartedAt: startedAt };

describe("waitRunning without a healthcheck", () => {
  it("fails a job seen running once that then exits non-zero", async () => {
    const outcome = await waitRunning(
      containerThrough([running, { Status: "exited", Running: false, ExitCode: 3, StartedAt: startedAt }]),
    );
    expect(outcome).toMatchObject({ ok: false, exitCode: 3, state: "exited with code 3" });
  });

  it("counts a container seen running twice with the same start as up", async () => {
    expect(await waitRunning(containerThrough([running]))).toEqual({ ok: true });
  });

  it("counts a job that exited 0 as completed", async () => {
    const done: State = { Status: "exited", Running: false, ExitCode: 0, StartedAt: startedAt };
    expect(await waitRunning(containerThrough([running, done]))).toEqual({ ok: true, completed: true });
  });
});
