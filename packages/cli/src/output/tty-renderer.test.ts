import { Writable } from "node:stream";
import type { EngineEvent } from "@berth/engine";
import { describe, expect, it } from "vitest";
import { TtyRenderer } from "./tty-renderer.js";

/** A terminal as the renderer sees it. process.stdout is not one under vitest, as with `berth up > log`. */
class FakeTerminal extends Writable {
  readonly isTTY = true;
  readonly columns = 120;
  readonly rows = 40;
  raw = "";

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.raw += chunk.toString();
    done();
  }

  /** The frame drawn last, as its lines without colours: what the terminal shows now. */
  screen(): string[] {
    // listr2 (log-update) draws each frame after erasing the previous one line by line.
    const frames = this.raw.split(/(?:\x1b\[2K\x1b\[1A)*\x1b\[2K\x1b\[G/);
    const text = (frames.at(-1) ?? "").replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
    return text.split("\n").filter((line) => line !== "");
  }
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("the terminal never showed it");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const step = (
  name: string,
  action: string,
  status: EngineEvent["status"],
  extra: Partial<EngineEvent> = {},
) => ({ kind: "step", name, service: "api", action, status, ...extra }) as EngineEvent;

/** A renderer whose list is drawing: rows added from now on are started once, by the renderer. */
async function drawingRenderer(): Promise<{ out: FakeTerminal; renderer: TtyRenderer }> {
  const out = new FakeTerminal();
  const renderer = new TtyRenderer({ out, color: false });
  await until(() => out.raw.length > 0);
  return { out, renderer };
}

const MAKE = "[api 2/3] RUN make";
const lines = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`);

describe("TtyRenderer: build step output on a terminal", () => {
  it("folds a running step's last lines under it, and folds them away when the step is done", async () => {
    const { out, renderer } = await drawingRenderer();
    try {
      renderer.onEvent(step(MAKE, "Running", "working"));
      renderer.onEvent(step(MAKE, "Running", "progress", { logs: lines("compiling", 7) }));
      await until(() => out.screen().some((line) => line.includes("compiling 7")));
      const running = out.screen();
      const title = running.findIndex((line) => line.includes(`${MAKE}  Running`));
      expect(title).toBeGreaterThanOrEqual(0);
      // The last five lines, in order, right under the step.
      expect(running.slice(title + 1, title + 6)).toEqual(
        lines("compiling", 7)
          .slice(2)
          .map((l) => `  › ${l}`),
      );

      renderer.onEvent(step(MAKE, "DONE", "done", { elapsedMs: 1200 }));
      // ✔: listr2 has finished the step's task (its title said DONE a moment before).
      await until(() => out.screen().some((line) => line.startsWith(`✔ ${MAKE}  DONE`)));
      expect(out.screen().filter((line) => line.includes("compiling"))).toEqual([]);
    } finally {
      await renderer.close();
    }
    expect(out.screen().filter((line) => line.includes("compiling"))).toEqual([]);
  });

  it("keeps a failed step's last lines under it", async () => {
    const { out, renderer } = await drawingRenderer();
    const TEST = "[api 3/3] RUN node --test";
    renderer.onEvent(step(TEST, "Running", "working"));
    renderer.onEvent(step(TEST, "Running", "progress", { logs: lines("not ok", 7) }));
    renderer.onEvent(step(TEST, "ERROR", "error", { detail: "exit code: 1" }));
    await renderer.close();
    const screen = out.screen();
    const title = screen.findIndex((line) => line.includes(`${TEST}  ERROR`));
    expect(title).toBeGreaterThanOrEqual(0);
    expect(screen[title]).toContain("exit code: 1");
    const below = screen.slice(title + 1).map((line) => line.trim());
    expect(below.filter((line) => line.startsWith("not ok"))).toEqual(lines("not ok", 7).slice(2));
  });
});
