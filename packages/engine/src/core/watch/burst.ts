import type { ChangeKind } from "./plan.js";

export interface BurstTiming {
  /** A burst ends once no change came for this long… */
  quietMs: number;
  /**
   * …plus this long for each change collected so far: the writes of a `git checkout` or a formatter
   * reach the watcher with pauses that grow with their number, and a big burst should stay one.
   */
  perChangeMs: number;
  /** …or this long after its first change, so that a steady stream still gets synced. */
  maxMs: number;
}

/**
 * Short enough that one saved file is in the container well under 300 ms; long enough that a
 * `git checkout` of 1000 files, whose events come milliseconds apart, makes one burst.
 */
export const DEFAULT_BURST: BurstTiming = { quietMs: 50, perChangeMs: 0.25, maxMs: 2000 };

/**
 * Collects changes into bursts: `flush` gets each path once, with the last thing that happened to it.
 * While a flush runs, new changes wait for the next burst, so bursts never overlap.
 */
export class BurstCollector {
  private pending = new Map<string, ChangeKind>();
  private firstAt = 0;
  private lastActivity = 0;
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
    this.lastActivity = Date.now();
    this.schedule();
  }

  /**
   * The file system reported something (the watcher's raw notification, before it has looked at the
   * file): the burst is not over yet, even if the change it becomes is reported later.
   */
  touch(): void {
    this.lastActivity = Date.now();
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
    const quiet = this.timing.quietMs + this.pending.size * this.timing.perChangeMs;
    const now = Date.now();
    const wait = Math.max(0, Math.min(this.lastActivity + quiet, this.firstAt + this.timing.maxMs) - now);
    // When the process was not scheduled for a while, the timer fires before the notifications that
    // queued up meanwhile are read; setImmediate runs after they are, so they still count.
    this.timer = setTimeout(() => setImmediate(() => this.settle()), wait);
  }

  private settle(): void {
    if (this.closed || this.running || this.pending.size === 0) return;
    const quiet = this.timing.quietMs + this.pending.size * this.timing.perChangeMs;
    const now = Date.now();
    if (now - this.lastActivity < quiet && now < this.firstAt + this.timing.maxMs) this.schedule();
    else this.run();
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
