import type { EngineEvent } from "@berth/engine";
import type { ProgressRenderer } from "./progress.js";

/** One JSON object per event and line, for tools. Errors are reduced to their message. */
export class JsonRenderer implements ProgressRenderer {
  constructor(private readonly out: NodeJS.WritableStream) {}

  onEvent(event: EngineEvent): void {
    const { error, ...rest } = event;
    const record = error ? { ...rest, error: error.message } : rest;
    this.out.write(`${JSON.stringify(record)}\n`);
  }

  async close(): Promise<void> {}
}
