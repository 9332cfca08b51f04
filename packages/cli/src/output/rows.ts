import type { EngineEvent } from "@berth/engine";

/** One line of progress: a network, volume, container or image and where its work stands. */
export interface Row {
  key: string;
  /** "Container myapp-web-1" */
  label: string;
  action: string;
  status: EngineEvent["status"];
  detail?: string;
  startedAt: number;
  /** Set when the row reached a final status (done, skipped, error). */
  endedAt?: number;
  /** How far a pull or build has come, while it runs: "12.5MB/40MB", "Step 2/5". */
  progress?: string;
}

const FINAL = new Set<EngineEvent["status"]>(["done", "skipped", "error", "planned"]);
/** Statuses of a resource still being worked on; moving between them is not a state change. */
const BUSY = new Set<EngineEvent["status"]>(["working", "progress"]);

export function isFinal(status: EngineEvent["status"]): boolean {
  return FINAL.has(status);
}

/** `Container myapp-web-1`; a build step is shown by its name alone, as compose does: `[api 3/7] RUN npm ci`. */
function rowLabel(event: EngineEvent): string {
  if (event.kind === "step") return event.name;
  return `${event.kind.charAt(0).toUpperCase() + event.kind.slice(1)} ${event.name}`;
}

/**
 * Folds engine events into rows, one per resource. A row's clock starts with its first event and stops
 * at a final status; it runs on if the resource starts working again (created, then started).
 */
export class RowTracker {
  private readonly rows = new Map<string, Row>();

  // Milliseconds of a monotonic clock; not `performance.now()`, whose first use loads perf_hooks (~5 ms).
  constructor(private readonly now: () => number = () => Number(process.hrtime.bigint()) / 1e6) {}

  /** Applies an event; returns the row, whether it is new, and whether its state (or error text) changed. */
  apply(event: EngineEvent): { row: Row; added: boolean; changed: boolean } {
    const key = `${event.kind}:${event.name}`;
    const at = this.now();
    let row = this.rows.get(key);
    const added = row === undefined;
    if (!row) {
      row = {
        key,
        label: rowLabel(event),
        action: event.action,
        status: event.status,
        startedAt: at,
      };
      this.rows.set(key, row);
    } else if (!isFinal(event.status)) {
      row.endedAt = undefined;
    }
    const detail = event.detail ?? event.error?.message;
    // Pull and build steps change the detail of a working row; only an error's or warning's text is news.
    const shownDetail = event.status === "error" || event.status === "warning";
    const changed =
      added ||
      row.action !== event.action ||
      (row.status !== event.status && !(BUSY.has(row.status) && BUSY.has(event.status))) ||
      (shownDetail && row.detail !== detail);
    row.action = event.action;
    row.status = event.status;
    row.detail = detail;
    row.progress = isFinal(event.status) ? undefined : progressText(event.progress);
    if (isFinal(event.status)) row.endedAt = at;
    return { row, added, changed };
  }

  elapsedMs(row: Row): number {
    return (row.endedAt ?? this.now()) - row.startedAt;
  }
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** `Container myapp-web-1  Started  0.4s`, plus the detail: an error, a warning, why it is recreated. */
export function formatRow(row: Row, elapsedMs: number): string {
  const detail = row.detail ? `  ${row.detail}` : "";
  // A planned step has taken no time: its clock would only mislead.
  const time = row.status === "planned" ? "" : `  ${formatSeconds(elapsedMs)}`;
  return `${row.label}  ${row.action}${time}${detail}`;
}

/**
 * A planned step's line as the plain renderer prints it (`Container myapp-web-1  Recreated  image
 * changed`), for output that prints each plan whole rather than folding repeated steps into rows.
 */
export function plannedLine(event: EngineEvent): string {
  return formatRow(
    {
      key: "",
      label: rowLabel(event),
      action: event.action,
      status: "planned",
      detail: event.detail,
      startedAt: 0,
    },
    0,
  );
}

/** Decimal units, as docker shows transfer sizes. */
function formatBytes(n: number): string {
  const units = ["B", "kB", "MB", "GB"];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${Number(value.toFixed(1))}${units[unit]}`;
}

function progressText(progress: EngineEvent["progress"]): string | undefined {
  if (!progress) return undefined;
  if (progress.current !== undefined && progress.total) {
    return `${formatBytes(progress.current)}/${formatBytes(progress.total)}`;
  }
  return progress.text;
}

/** The interactive list's title: the plain line, plus how far a running pull or build has come. */
export function formatLiveRow(row: Row, elapsedMs: number): string {
  const line = formatRow(row, elapsedMs);
  return row.progress ? `${line}  ${row.progress}` : line;
}
