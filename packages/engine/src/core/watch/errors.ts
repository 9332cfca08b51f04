import { EngineError } from "../../base/errors.js";

export const WatchErrorCodes = {
  invalidRule: "WATCH_INVALID_RULE",
  noRules: "WATCH_NO_RULES",
  watchLimit: "WATCH_LIMIT_REACHED",
  watchFailed: "WATCH_FAILED",
} as const;

/** A `develop.watch` rule that cannot be followed as written. */
export class WatchRuleError extends EngineError {
  constructor(
    readonly service: string,
    readonly index: number,
    problem: string,
  ) {
    super(WatchErrorCodes.invalidRule, `service ${service}: develop.watch[${index}]: ${problem}`);
  }
}

/** None of the selected services has a `develop.watch` rule: there is nothing to watch. */
export class NoWatchRulesError extends EngineError {
  constructor(services: readonly string[]) {
    super(
      WatchErrorCodes.noRules,
      `none of the services ${services.join(", ")} has develop.watch rules: add a develop.watch section to watch them`,
    );
  }
}

/** The kernel refused another inotify watch: the per-user limit is reached. */
export class WatchLimitError extends EngineError {
  constructor(path: string, cause: unknown) {
    super(
      WatchErrorCodes.watchLimit,
      `cannot watch ${path}: the limit of inotify watches (fs.inotify.max_user_watches) is reached; raise it with \`sudo sysctl fs.inotify.max_user_watches=524288\` (add the line fs.inotify.max_user_watches=524288 to /etc/sysctl.conf to keep it), or ignore large folders in develop.watch[].ignore`,
      { cause },
    );
  }
}

/** Any other failure of the file watcher (a watched path that went away, a permission error). */
export class WatchFailedError extends EngineError {
  constructor(path: string, cause: unknown) {
    super(WatchErrorCodes.watchFailed, `cannot watch ${path}: ${(cause as Error).message}`, { cause });
  }
}
