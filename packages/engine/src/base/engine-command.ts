import type Docker from "dockerode";
import { AbortedError } from "./errors.js";
import type { EngineEvent, EventListener } from "./events.js";

/**
 * The shape of the engine's commands (`up`, `down`, `deploy`, `watchProject`): the engine, what the
 * command acts on (a project, or a project's name), its options, and where its events go.
 */
export type EngineCommand<Target, Options, Result = void> = (
  docker: Docker,
  target: Target,
  options?: Options,
  onEvent?: EventListener,
) => Promise<Result>;

/** What a command keeps while it runs: its events stamped with the time since it began, and its Ctrl-C. */
export interface CommandRun {
  /** When the command began, in ms since the epoch. */
  readonly startedAt: number;
  /** Reports an event with `elapsedMs` since the command began. */
  emit(event: EngineEvent): void;
  /** The listener as the caller gave it, for events that carry their own `elapsedMs`. */
  onEvent: EventListener;
  /** Throws `AbortedError` once the command's `signal` aborted (Ctrl-C): nothing new starts. */
  checkAborted(): void;
}

/** Starts a command run; `operation` names it in the error of a Ctrl-C ("deploy was interrupted"). */
export function commandRun(operation: string, onEvent: EventListener, signal?: AbortSignal): CommandRun {
  const startedAt = Date.now();
  return {
    startedAt,
    emit: (event) => onEvent({ ...event, elapsedMs: Date.now() - startedAt }),
    onEvent,
    checkAborted: () => {
      if (signal?.aborted) throw new AbortedError(operation);
    },
  };
}

/**
 * Declares an engine command once: `body` gets the options (`{}` when none) and its run (`commandRun`,
 * with the options' `signal`); callers may leave out the options and the listener.
 */
export function engineCommand<Target, Options extends object, Result>(
  operation: string,
  body: (docker: Docker, target: Target, options: Options, run: CommandRun) => Promise<Result>,
): EngineCommand<Target, Options, Result> {
  return (docker, target, options = {} as Options, onEvent = () => {}) => {
    // Options without a `signal` (down's) run without Ctrl-C of their own.
    const { signal } = options as { signal?: AbortSignal };
    return body(docker, target, options, commandRun(operation, onEvent, signal));
  };
}
