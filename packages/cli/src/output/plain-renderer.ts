import type { EngineEvent } from "@berth/engine";
import { red, yellow } from "./colors.js";
import type { ProgressRenderer, ProgressStreams } from "./progress.js";
import { RowTracker, formatRow } from "./rows.js";

/**
 * One line per state change, never a cursor movement: for logs, CI and pipes. Events that only move a
 * pull or build forward (same action, same status) print nothing.
 */
export class PlainRenderer implements ProgressRenderer {
  private readonly tracker: RowTracker;

  constructor(
    private readonly streams: ProgressStreams,
    now?: () => number,
  ) {
    this.tracker = new RowTracker(now);
  }

  onEvent(event: EngineEvent): void {
    const { row, changed } = this.tracker.apply(event);
    if (!changed) return;
    let line = formatRow(row, this.tracker.elapsedMs(row));
    if (this.streams.color && row.status === "error") line = red(line);
    else if (this.streams.color && row.status === "warning") line = yellow(line);
    this.streams.out.write(`${line}\n`);
  }

  async close(): Promise<void> {}
}
