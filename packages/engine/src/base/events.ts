/**
 * Everything the engine does is reported as events; the engine never prints. The CLI turns them into
 * listr2 rows or JSON lines, the test-stack API into its own log.
 */
/** `step`: one step of a BuildKit build, named as compose shows it (`[api 3/7] RUN npm ci`). */
export type ResourceKind = "network" | "volume" | "container" | "image" | "service" | "project" | "step";

export type EventStatus =
  /** Work on the resource started (e.g. "Creating", "Pulling", "Waiting"). */
  | "working"
  /** The resource reached a state worth showing that is not final (e.g. "Started" before "Healthy"). */
  | "progress"
  /** Work on the resource finished well ("Created", "Started", "Healthy", "Removed", "Pulled"). */
  | "done"
  /** Nothing had to be done ("Running", "Up-to-date"). */
  | "skipped"
  /** Work on the resource failed; `error` says why. */
  | "error"
  /** Something the user should know that is not a failure. */
  | "warning"
  /** `--dry-run`: what the command would do (`action`, the word of the real run) and why (`detail`). */
  | "planned";

export interface EngineEvent {
  kind: ResourceKind;
  /** Engine-side name: `myapp-web-1`, `myapp_default`, an image reference. */
  name: string;
  /** The compose service the resource belongs to, when there is one. */
  service?: string;
  /** What is happening, in the words docker compose shows: "Creating", "Started", "Waiting for db". */
  action: string;
  status: EventStatus;
  /** Why, when it matters: the reason of a recreate, the text of an error, the last healthcheck output. */
  detail?: string;
  /** Pull and build progress. */
  progress?: { current?: number; total?: number; text?: string };
  /** Milliseconds since the operation (up, down, pull…) started. */
  elapsedMs?: number;
  /** Output lines of a build step, as they come. */
  logs?: string[];
  error?: Error;
}

export type EventListener = (event: EngineEvent) => void;
