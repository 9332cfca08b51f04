import type { EngineEvent } from "../../base/events.js";
import type { Trace, TraceVertex } from "./trace.js";

/** Log lines kept per step, for the error of a failed step. */
const KEPT_LINES = 10;

/** A step as BuildKit reports it, named as compose shows it: `[api 3/7] RUN npm ci`. */
interface Step {
  name: string;
  started?: number;
  done: boolean;
  lines: string[];
  /** A log line not yet ended by a newline. */
  partial: string;
}

export interface FailedStep {
  name: string;
  error: string;
  lastLines: string[];
}

/** `[2/4] RUN x` → `[api 2/4] RUN x`; `[internal] load…` → `[api internal] load…`; others get `[api]`. */
export function stepName(service: string, vertexName: string): string {
  const m = /^\[([^\]]*)\]\s*(.*)$/s.exec(vertexName);
  return m ? `[${service} ${m[1]}] ${m[2]}` : `[${service}] ${vertexName}`;
}

/**
 * Folds BuildKit's trace messages of one build into step events: one when a step starts, is found in
 * the cache, completes or fails, and one per batch of log lines (`progress`, with the lines in `logs`).
 * Pure: the caller sends the events.
 */
export class StepTracker {
  private readonly steps = new Map<string, Step>();
  private failed: FailedStep | undefined;

  constructor(private readonly service: string) {}

  apply(trace: Trace): EngineEvent[] {
    const events: EngineEvent[] = [];
    for (const v of trace.vertexes) events.push(...this.vertex(v));
    for (const log of trace.logs) {
      const step = this.steps.get(log.vertex);
      if (!step) continue;
      const parts = (step.partial + log.msg.toString("utf8")).split(/\r?\n/);
      step.partial = parts.pop() ?? "";
      const event = this.lines(step, parts);
      if (event) events.push(event);
    }
    return events;
  }

  /** Records a step's new log lines; the event that shows them, if there are any. */
  private lines(step: Step, lines: string[]): EngineEvent | undefined {
    if (lines.length === 0) return undefined;
    step.lines.push(...lines);
    step.lines.splice(0, Math.max(0, step.lines.length - KEPT_LINES));
    return {
      ...this.base(step),
      action: "Running",
      status: "progress",
      progress: { text: lines.at(-1) },
      logs: lines,
    };
  }

  /** The step that failed first, with its last log lines. */
  failure(): FailedStep | undefined {
    return this.failed;
  }

  private vertex(v: TraceVertex): EngineEvent[] {
    let step = this.steps.get(v.digest);
    if (!step) {
      step = { name: stepName(this.service, v.name), done: false, lines: [], partial: "" };
      this.steps.set(v.digest, step);
    }
    if (step.done) return [];
    const base = this.base(step);
    // A last line without a newline is shown when its step ends.
    const ending = v.error || v.completed !== undefined;
    const last = ending && step.partial ? this.lines(step, [step.partial]) : undefined;
    const events = last ? [last] : [];
    if (ending) step.partial = "";
    if (v.error) {
      step.done = true;
      const error = v.error;
      // Steps cancelled because another failed report "context canceled": the first failure is the cause.
      this.failed ??= { name: step.name, error, lastLines: [...step.lines] };
      return [...events, { ...base, action: "ERROR", status: "error", detail: error }];
    }
    if (v.completed !== undefined) {
      step.done = true;
      if (v.cached) return [...events, { ...base, action: "CACHED", status: "done" }];
      const elapsedMs = v.started !== undefined ? v.completed - v.started : undefined;
      return [...events, { ...base, action: "DONE", status: "done", elapsedMs }];
    }
    if (v.started !== undefined && step.started === undefined) {
      step.started = v.started;
      return [{ ...base, action: "Running", status: "working" }];
    }
    return [];
  }

  private base(step: Step): Pick<EngineEvent, "kind" | "name" | "service"> {
    return { kind: "step", name: step.name, service: this.service };
  }
}
