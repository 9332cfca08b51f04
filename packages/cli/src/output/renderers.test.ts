import type { EngineEvent } from "@berth/engine";
import { describe, expect, it } from "vitest";
import { JsonRenderer } from "./json-renderer.js";
import { PlainRenderer } from "./plain-renderer.js";
import { resolveProgressMode } from "./progress.js";
import { RowTracker, formatLiveRow, formatRow } from "./rows.js";

function sink() {
  const chunks: string[] = [];
  return { out: { write: (c: string) => chunks.push(c) } as unknown as NodeJS.WritableStream, chunks };
}

function clock(times: number[]) {
  return () => times.shift() ?? 0;
}

const container = (
  action: string,
  status: EngineEvent["status"],
  extra: Partial<EngineEvent> = {},
): EngineEvent => ({
  kind: "container",
  name: "myapp-web-1",
  service: "web",
  action,
  status,
  ...extra,
});

describe("RowTracker", () => {
  it("keeps one row per resource and times it from its first event to its final one", () => {
    const tracker = new RowTracker(clock([0, 150, 400]));
    expect(tracker.apply(container("Creating", "working")).added).toBe(true);
    expect(tracker.apply(container("Created", "progress")).added).toBe(false);
    const { row } = tracker.apply(container("Started", "done"));
    expect(formatRow(row, tracker.elapsedMs(row))).toBe("Container myapp-web-1  Started  0.4s");
  });

  it("keeps the clock running when a finished resource starts working again", () => {
    let now = 0;
    const tracker = new RowTracker(() => now);
    tracker.apply(container("Creating", "working"));
    now = 100;
    const created = tracker.apply(container("Created", "done")).row;
    now = 5000;
    expect(tracker.elapsedMs(created)).toBe(100);
    tracker.apply(container("Starting", "working"));
    now = 5300;
    const { row } = tracker.apply(container("Started", "done"));
    now = 9000;
    expect(tracker.elapsedMs(row)).toBe(5300);
  });

  it("shows the reason of an error", () => {
    const tracker = new RowTracker(clock([0, 100]));
    tracker.apply(container("Starting", "working"));
    const { row } = tracker.apply(
      container("Error", "error", { error: new Error("port is already allocated") }),
    );
    expect(formatRow(row, 100)).toBe("Container myapp-web-1  Error  0.1s  port is already allocated");
  });
});

describe("formatLiveRow", () => {
  it("adds how far a pull or build has come while it runs, and drops it when it ends", () => {
    const tracker = new RowTracker(() => 0);
    const image = { kind: "image", name: "redis:7", action: "Pulling", status: "working" } as const;
    let row = tracker.apply({ ...image, progress: { current: 12_500_000, total: 40_000_000 } }).row;
    expect(formatLiveRow(row, 1500)).toBe("Image redis:7  Pulling  1.5s  12.5MB/40MB");
    row = tracker.apply({ ...image, action: "Building", progress: { text: "Step 2/5" } }).row;
    expect(formatLiveRow(row, 1500)).toBe("Image redis:7  Building  1.5s  Step 2/5");
    row = tracker.apply({ ...image, action: "Pulled", status: "done", progress: { text: "done" } }).row;
    expect(formatLiveRow(row, 2000)).toBe("Image redis:7  Pulled  2.0s");
  });
});

describe("PlainRenderer", () => {
  it("prints one line per state change and no escape sequences", () => {
    const { out, chunks } = sink();
    let now = 0;
    const r = new PlainRenderer({ out, color: false }, () => now);
    r.onEvent({ kind: "network", name: "myapp_default", action: "Creating", status: "working" });
    r.onEvent(container("Creating", "working"));
    now = 200;
    r.onEvent({ kind: "network", name: "myapp_default", action: "Created", status: "done" });
    now = 500;
    r.onEvent(container("Started", "done"));
    expect(chunks.join("")).toBe(
      [
        "Network myapp_default  Creating  0.0s",
        "Container myapp-web-1  Creating  0.0s",
        "Network myapp_default  Created  0.2s",
        "Container myapp-web-1  Started  0.5s",
        "",
      ].join("\n"),
    );
  });

  it("prints nothing for progress that does not change the state", () => {
    const { out, chunks } = sink();
    const r = new PlainRenderer({ out, color: false }, () => 0);
    const building = { kind: "image", name: "app", action: "Building", status: "working" } as const;
    r.onEvent(building);
    r.onEvent({
      ...building,
      status: "progress",
      progress: { text: "Step 2/3" },
      detail: "Step 2/3 : RUN true",
    });
    r.onEvent({ ...building, action: "Built", status: "done" });
    expect(chunks).toEqual(["Image app  Building  0.0s\n", "Image app  Built  0.0s\n"]);
  });

  it("colours errors only when asked to", () => {
    const { out, chunks } = sink();
    const r = new PlainRenderer({ out, color: true }, clock([0]));
    r.onEvent(container("Error", "error", { detail: "boom" }));
    expect(chunks[0]).toContain("\x1b[31m");
  });
});

describe("JsonRenderer", () => {
  it("writes each event as one JSON line, errors as their message", () => {
    const { out, chunks } = sink();
    const r = new JsonRenderer(out);
    r.onEvent(container("Started", "done", { elapsedMs: 12 }));
    r.onEvent(container("Error", "error", { error: new Error("boom") }));
    expect(chunks.map((c) => JSON.parse(c))).toEqual([
      {
        kind: "container",
        name: "myapp-web-1",
        service: "web",
        action: "Started",
        status: "done",
        elapsedMs: 12,
      },
      {
        kind: "container",
        name: "myapp-web-1",
        service: "web",
        action: "Error",
        status: "error",
        error: "boom",
      },
    ]);
    expect(chunks.every((c) => c.endsWith("\n") && c.indexOf("\n") === c.length - 1)).toBe(true);
  });
});

describe("resolveProgressMode", () => {
  it("uses the interactive list only on a terminal outside CI", () => {
    expect(resolveProgressMode("auto", {}, true)).toBe("tty");
    expect(resolveProgressMode("auto", {}, false)).toBe("plain");
    expect(resolveProgressMode("auto", { CI: "true" }, true)).toBe("plain");
    expect(resolveProgressMode("auto", { CI: "false" }, true)).toBe("tty");
    expect(resolveProgressMode("json", {}, true)).toBe("json");
  });
});
