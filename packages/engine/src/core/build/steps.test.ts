import { describe, expect, it } from "vitest";
import { StepTracker, stepName } from "./steps.js";
import { decodeTrace } from "./trace.js";

// `moby.buildkit.trace` messages recorded from this engine (20.10) building
// `RUN echo hello` (started, its log, completed) and `RUN exit 3` (failed).
const STARTED =
  "CrYBCkdzaGEyNTY6MWQyYWMwZTBjMDM5NmU5ZjJhYjEzOTE2NGU5ZGZjYTM4MzY1MDc5N2I1NzY5Yjc4MWFkNjFkZDY3M2I3ZDRmOBJHc2hhMjU2OmJmOTQ5NjRiNTNlMWQwZmExNWEzNmI2OTg0MTEzYWJkYjNkYzQxZjUyZjgwOTA2NDI4YmFmYzA4NDljOTE0MGMaFFsyLzRdIFJVTiBlY2hvIGhlbGxvKgwIid/V2AYQ/v7agwM=";
const LOG =
  "GmAKR3NoYTI1NjoxZDJhYzBlMGMwMzk2ZTlmMmFiMTM5MTY0ZTlkZmNhMzgzNjUwNzk3YjU3NjliNzgxYWQ2MWRkNjczYjdkNGY4EgsIit/V2AYQtNfRaRgBIgZoZWxsbwo=";
const COMPLETED =
  "CsMBCkdzaGEyNTY6MWQyYWMwZTBjMDM5NmU5ZjJhYjEzOTE2NGU5ZGZjYTM4MzY1MDc5N2I1NzY5Yjc4MWFkNjFkZDY3M2I3ZDRmOBJHc2hhMjU2OmJmOTQ5NjRiNTNlMWQwZmExNWEzNmI2OTg0MTEzYWJkYjNkYzQxZjUyZjgwOTA2NDI4YmFmYzA4NDljOTE0MGMaFFsyLzRdIFJVTiBlY2hvIGhlbGxvKgwIid/V2AYQ/v7agwMyCwiK39XYBhC5pbZw";
const FAILED =
  "CvsBCkdzaGEyNTY6MjJlNGViMDEwMTMwM2VmYWZmMzgzYTk5Mzk5MzFhNzc2YTdjMzQ4YjU0YjAwNDRjZDc5ZWIzNjU3MWI1YTI5NBJHc2hhMjU2Ojk3ODY1NjY5ZDJjZjkxOTE5NGFkMDQ4N2M4OGY0ZjgzMjg4YzUzZWQxZjUyY2E1YmRlODM3MTRjMzBiNjVlMDgaEFs0LzRdIFJVTiBleGl0IDMqDAiK39XYBhDD55CVAzIMCIvf1dgGEPji4o8BOjlleGVjdXRvciBmYWlsZWQgcnVubmluZyBbL2Jpbi9zaCAtYyBleGl0IDNdOiBleGl0IGNvZGU6IDM=";

describe("decodeTrace", () => {
  it("reads vertexes with their times and errors, and logs", () => {
    const [v] = decodeTrace(COMPLETED).vertexes;
    expect(v.name).toBe("[2/4] RUN echo hello");
    expect(v.digest).toMatch(/^sha256:1d2ac0e0/);
    expect(v.cached).toBe(false);
    expect((v.completed ?? 0) - (v.started ?? 0)).toBe(422);
    const [log] = decodeTrace(LOG).logs;
    expect(log).toMatchObject({ vertex: v.digest, stream: 1 });
    expect(log.msg.toString()).toBe("hello\n");
    expect(decodeTrace(FAILED).vertexes[0].error).toBe(
      "executor failed running [/bin/sh -c exit 3]: exit code: 3",
    );
  });

  it("returns nothing for an empty message and rejects a truncated one", () => {
    expect(decodeTrace("")).toEqual({ vertexes: [], statuses: [], logs: [], warnings: [] });
    expect(() => decodeTrace(Buffer.from([0x0a, 0x80]).toString("base64"))).toThrow(/truncated/);
  });
});

describe("StepTracker", () => {
  it("reports each state change of a step once, and its log lines", () => {
    const steps = new StepTracker("api");
    const events = [STARTED, STARTED, LOG, COMPLETED, COMPLETED].flatMap((m) => steps.apply(decodeTrace(m)));
    expect(events.map((e) => [e.kind, e.name, e.action, e.status, e.logs])).toEqual([
      ["step", "[api 2/4] RUN echo hello", "Running", "working", undefined],
      ["step", "[api 2/4] RUN echo hello", "Running", "progress", ["hello"]],
      ["step", "[api 2/4] RUN echo hello", "DONE", "done", undefined],
    ]);
    expect(events.at(-1)?.elapsedMs).toBe(422);
  });

  it("keeps the first failed step with its last lines", () => {
    const steps = new StepTracker("api");
    const [event] = steps.apply(decodeTrace(FAILED));
    expect(event).toMatchObject({ action: "ERROR", status: "error", name: "[api 4/4] RUN exit 3" });
    expect(steps.failure()).toEqual({
      name: "[api 4/4] RUN exit 3",
      error: "executor failed running [/bin/sh -c exit 3]: exit code: 3",
      lastLines: [],
    });
  });

  it("joins log lines split across messages", () => {
    const steps = new StepTracker("api");
    const digest = "sha256:x";
    steps.apply({
      vertexes: [{ digest, name: "[1/1] RUN x", cached: false, started: 1 }],
      statuses: [],
      logs: [],
      warnings: [],
    });
    const log = (msg: string) => ({ vertex: digest, stream: 1, msg: Buffer.from(msg) });
    expect(steps.apply({ vertexes: [], statuses: [], warnings: [], logs: [log("par")] })).toEqual([]);
    const [event] = steps.apply({
      vertexes: [],
      statuses: [],
      warnings: [],
      logs: [log("tial\nnext\nlast")],
    });
    expect(event.logs).toEqual(["partial", "next"]);
    const ended = steps.apply({
      vertexes: [{ digest, name: "[1/1] RUN x", cached: false, started: 1, completed: 2 }],
      statuses: [],
      logs: [],
      warnings: [],
    });
    expect(ended.map((e) => [e.action, e.logs])).toEqual([
      ["Running", ["last"]],
      ["DONE", undefined],
    ]);
  });
});

describe("stepName", () => {
  it("puts the service in BuildKit's bracket, as compose shows it", () => {
    expect(stepName("api", "[stage-1 3/7] RUN npm ci")).toBe("[api stage-1 3/7] RUN npm ci");
    expect(stepName("api", "[internal] load build context")).toBe("[api internal] load build context");
    expect(stepName("api", "exporting to image")).toBe("[api] exporting to image");
  });
});
