import { ExitCode } from "./exit-codes.js";

/**
 * Ctrl-C for the length of a command. The first SIGINT aborts `signal` (cancelling pulls, builds and waits
 * in flight); `onPress` runs an action at a later press, e.g. to kill instead of stopping. While it
 * listens, SIGINT never ends the process by itself, so the command always gets to exit with 130.
 */
export class Interrupt {
  private readonly controller = new AbortController();
  private count = 0;
  private pending: { press: number; action: () => void } | undefined;
  private readonly listener = () => {
    this.count++;
    if (this.count === 1) this.controller.abort();
    this.fire();
  };

  constructor() {
    process.on("SIGINT", this.listener);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get interrupted(): boolean {
    return this.count > 0;
  }

  /** Resolves on the first Ctrl-C (at once if it already came). */
  first(): Promise<void> {
    if (this.controller.signal.aborted) return Promise.resolve();
    return new Promise((resolve) =>
      this.controller.signal.addEventListener("abort", () => resolve(), { once: true }),
    );
  }

  /** Presses so far. */
  get presses(): number {
    return this.count;
  }

  /**
   * Runs `action` once Ctrl-C has been pressed `press` times in all: at once if it already has, so that
   * a quick second press is never lost while the first is still being handled.
   */
  onPress(press: number, action: () => void): void {
    this.pending = { press, action };
    this.fire();
  }

  private fire(): void {
    if (this.pending && this.count >= this.pending.press) {
      const { action } = this.pending;
      this.pending = undefined;
      action();
    }
  }

  /** Stops listening: SIGINT is again the process's default (exit). */
  dispose(): void {
    process.removeListener("SIGINT", this.listener);
  }
}

/** Runs a command that Ctrl-C cancels: it ends with 130 (128 + SIGINT) rather than an error. */
export async function interruptible(run: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const interrupt = new Interrupt();
  try {
    return await run(interrupt.signal);
  } catch (error) {
    if (interrupt.interrupted) return ExitCode.interrupted;
    throw error;
  } finally {
    interrupt.dispose();
  }
}
