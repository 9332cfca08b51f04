import type { EngineEvent } from "@berth/engine";
import { DefaultRenderer, Listr, ListrLogger, type ListrTaskWrapper, ProcessOutput } from "listr2";
import type { ProgressRenderer, ProgressStreams } from "./progress.js";
import { type Row, RowTracker, formatLiveRow } from "./rows.js";

type Wrapper = ListrTaskWrapper<unknown, never, never>;

interface Entry {
  row: Row;
  wrapper?: Wrapper;
  /** The last log lines of a build step, shown under it while it runs and kept under it if it fails. */
  lines: string[];
  settle: { resolve: () => void; reject: (error: Error) => void };
}

/**
 * listr2's interactive renderer, for a progress stream Berth has found to be a terminal. listr2 itself
 * asks whether stdout is one and otherwise falls back to a renderer that writes to stdout: `berth up >
 * log` on a terminal would show no progress at all.
 */
class TerminalRenderer extends DefaultRenderer {
  static override nonTTY = true;
}

/** listr2 keeps `runTask` out of its types; it is how a task added to a running list gets started. */
interface RunnableListr {
  tasks: unknown[];
  runTask(task: unknown): Promise<void>;
}

const TICK_MS = 100;
/** Log lines of a running build step shown under it. */
const STEP_LINES = 5;

/**
 * The interactive task list: one row per resource, added as the engine first mentions it, with its
 * state and a live clock. Rows are listr2 tasks whose promise settles when the resource reaches a final
 * state, so listr2 draws the spinner, tick or cross.
 */
export class TtyRenderer implements ProgressRenderer {
  private readonly tracker = new RowTracker();
  private readonly entries = new Map<string, Entry>();
  private readonly listr: Listr<unknown, typeof TerminalRenderer>;
  private readonly running: Promise<unknown>;
  private readonly ticker: NodeJS.Timeout;
  private finish!: () => void;

  constructor(streams: ProgressStreams) {
    const out = streams.out as NodeJS.WriteStream;
    // listr2 wraps at process.stdout's width, which is 0 on a terminal that reports no size (under
    // `script`) and undefined when stdout is piped; use the progress stream's width, or 80.
    if (!out.columns) out.columns = 80;
    if (!process.stdout.columns) process.stdout.columns = out.columns;
    const finished = new Promise<void>((resolve) => {
      this.finish = resolve;
    });
    // An untitled task is not drawn; it keeps the list running until close().
    this.listr = new Listr([{ task: () => finished }], {
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false,
      renderer: TerminalRenderer,
      rendererOptions: {
        collapseErrors: false,
        // The list draws on the progress stream; what is written to the other stream meanwhile is
        // held back and printed below the list when it ends.
        logger: new ListrLogger({
          useIcons: true,
          processOutput: new ProcessOutput(out, out === process.stderr ? process.stdout : process.stderr),
        }),
      },
    });
    this.running = this.listr.run();
    this.ticker = setInterval(() => this.refreshClocks(), TICK_MS);
  }

  onEvent(event: EngineEvent): void {
    const { row, added } = this.tracker.apply(event);
    if (added) this.addRow(row);
    const entry = this.entries.get(row.key)!;
    if (entry.wrapper) entry.wrapper.title = this.title(row);
    // A build step's output folds under it while it runs; listr2 drops it when the step ends.
    if (event.logs) {
      entry.lines = [...entry.lines, ...event.logs].slice(-STEP_LINES);
      if (entry.wrapper) for (const line of event.logs) entry.wrapper.output = line;
    }
    if (row.status === "done" || row.status === "skipped" || row.status === "planned") entry.settle.resolve();
    else if (row.status === "error")
      // A failed step keeps its last lines under it: they say why.
      entry.settle.reject(
        new Error([`${row.label}  ${row.detail ?? row.action}`, ...entry.lines].join("\n")),
      );
  }

  async close(): Promise<void> {
    clearInterval(this.ticker);
    for (const entry of this.entries.values()) {
      if (entry.wrapper) entry.wrapper.title = this.title(entry.row);
      // A row the engine left unfinished (the operation failed elsewhere) is shown as it stands.
      entry.settle.resolve();
    }
    this.finish();
    await this.running;
  }

  private addRow(row: Row): void {
    let settle!: Entry["settle"];
    const done = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    const entry: Entry = { row, lines: [], settle };
    this.entries.set(row.key, entry);
    this.listr.add({
      title: this.title(row),
      rendererOptions: { outputBar: STEP_LINES },
      task: (_ctx, wrapper) => {
        entry.wrapper = wrapper as unknown as Wrapper;
        entry.wrapper.title = this.title(row);
        // Lines that came with the step's first event, before listr2 started its task.
        for (const line of entry.lines) entry.wrapper.output = line;
        return done;
      },
    });
    const runnable = this.listr as unknown as RunnableListr;
    void runnable.runTask(runnable.tasks.at(-1));
  }

  private title(row: Row): string {
    return formatLiveRow(row, this.tracker.elapsedMs(row));
  }

  private refreshClocks(): void {
    for (const entry of this.entries.values()) {
      if (entry.wrapper && entry.row.endedAt === undefined) entry.wrapper.title = this.title(entry.row);
    }
  }
}
