import type { EngineEvent } from "@berth/engine";
import type { Env, ProgressMode } from "../options.js";
import { redactEvent } from "./redact.js";

/** Receives the events of one operation (up, down, pull, build) and shows them. */
export interface ProgressRenderer {
  onEvent(event: EngineEvent): void;
  /** Stops the renderer (the interactive one redraws a last time and gives the terminal back). */
  close(): Promise<void>;
}

export type ConcreteProgressMode = Exclude<ProgressMode, "auto">;

/** `auto` means the interactive list on a terminal, outside CI; plain lines everywhere else. */
export function resolveProgressMode(
  mode: ProgressMode,
  env: Env,
  isTTY: boolean | undefined,
): ConcreteProgressMode {
  if (mode !== "auto") return mode;
  const ci = env.CI !== undefined && env.CI !== "" && env.CI !== "false";
  return isTTY === true && !ci ? "tty" : "plain";
}

export interface ProgressStreams {
  out: NodeJS.WritableStream;
  color: boolean;
}

/**
 * Renderers are imported only when an operation needs one; the interactive one pulls in listr2. Every
 * renderer sees events with secret values already masked (redact.ts), so none of them needs to care.
 */
export async function createProgress(
  mode: ConcreteProgressMode,
  streams: ProgressStreams,
): Promise<ProgressRenderer> {
  const renderer = await createRenderer(mode, streams);
  return {
    onEvent: (event) => renderer.onEvent(redactEvent(event)),
    close: () => renderer.close(),
  };
}

async function createRenderer(
  mode: ConcreteProgressMode,
  streams: ProgressStreams,
): Promise<ProgressRenderer> {
  switch (mode) {
    case "tty": {
      const { TtyRenderer } = await import("./tty-renderer.js");
      return new TtyRenderer(streams);
    }
    case "plain": {
      const { PlainRenderer } = await import("./plain-renderer.js");
      return new PlainRenderer(streams);
    }
    case "json": {
      const { JsonRenderer } = await import("./json-renderer.js");
      return new JsonRenderer(streams.out);
    }
    case "quiet":
      return { onEvent() {}, async close() {} };
  }
}
