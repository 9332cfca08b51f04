import type { ChangeKind } from "./plan.js";

export interface BurstTiming {
  /** A burst ends once no change came for this long. */
  quietMs: number;
  /** …or this long after its first change, so that a steady stream still gets synced. */
  maxMs: number;
}

/**
 * Short enough that one saved file is in the container well under 300 ms; long enough that a
 * `git checkout` or a formatter, whose writes come milliseconds apart, makes one burst.
 */
export const DEFAULT_BURST: BurstTiming = { quietMs: 50, maxMs: 1000 };

/**
 * Collects changes into bursts: `flush` gets each path once, with the last thing that happened to it.
 * While a flush runs, new changes wait for the next burst, so bursts never overlap.
 */
export class BurstCollector {
  private pending = new Map<string, ChangeKind>();
  private firstAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly flush: (changes: Map<string, ChangeKind>) => Promise<void>,
    private readonly timing: BurstTiming = DEFAULT_BURST,
  ) {}

  add(path: string, kind: ChangeKind): void {
    if (this.closed) return;
    if (this.pending.size === 0) this.firstAt = Date.now();
    // Delete first so that the path moves to the end: the order of a burst is the order of last changes.
    this.pending.delete(path);
    this.pending.set(path, kind);
    this.schedule();
  }

  /** Resolves when the burst in flight (if any) has been handled. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.pending.clear();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.running) return;
    const wait = Math.min(this.timing.quietMs, Math.max(0, this.firstAt + this.timing.maxMs - Date.now()));
    this.timer = setTimeout(() => this.run(), wait);
  }

  private run(): void {
    const changes = this.pending;
    this.pending = new Map();
    this.running = this.flush(changes).finally(() => {
      this.running = undefined;
      if (this.pending.size > 0 && !this.closed) {
        this.firstAt = Date.now();
        this.schedule();
      }
    });
  }
}
