import type Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { engineCommand } from "./engine-command.js";
import { AbortedError } from "./errors.js";
import type { EngineEvent } from "./events.js";

// The body never reaches the engine here: only what the preamble hands it is checked.
const docker = {} as Docker;

describe("engineCommand", () => {
  it("gives the body empty options and a silent listener when the caller leaves them out", async () => {
    const command = engineCommand("probe", async (_docker, target: string, opts: { x?: number }, run) => {
      run.emit({ kind: "project", name: target, action: "Probing", status: "working" });
      return opts;
    });
    await expect(command(docker, "p")).resolves.toEqual({});
  });

  it("stamps each event with the time since the command began, and passes the listener on as given", async () => {
    const events: EngineEvent[] = [];
    const command = engineCommand("probe", async (_docker, target: string, _opts: object, run) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      run.emit({ kind: "project", name: target, action: "Probed", status: "done" });
      run.onEvent({ kind: "project", name: target, action: "Own", status: "done", elapsedMs: 3 });
    });
    await command(docker, "p", {}, (e) => events.push(e));
    expect(events[0].elapsedMs).toBeGreaterThanOrEqual(15);
    expect(events[1].elapsedMs).toBe(3);
  });

  it("checkAborted throws once the options' signal aborted, naming the command", async () => {
    const abort = new AbortController();
    const command = engineCommand("probe", async (_d, _t: string, _o: { signal?: AbortSignal }, run) => {
      run.checkAborted();
      abort.abort();
      run.checkAborted();
    });
    await expect(command(docker, "p", { signal: abort.signal })).rejects.toThrow(
      new AbortedError("probe").message,
    );
  });
});
