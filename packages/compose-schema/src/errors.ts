/** Where in which file a value was written. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

/**
 * Base of every error Berth raises on purpose. `code` is stable (tools and tests match on it);
 * the message says what is wrong and, where it can, what to do.
 */
export class BerthError extends Error {
  readonly code: string;
  readonly location?: SourceLocation;
  /** Extra lines shown after the one-line message (e.g. the last log lines of a failed service). */
  readonly detail?: string;

  constructor(
    code: string,
    message: string,
    options: { location?: SourceLocation; detail?: string; cause?: unknown } = {},
  ) {
    super(options.location ? `${formatLocation(options.location)}: ${message}` : message, {
      cause: options.cause,
    });
    this.name = new.target.name;
    this.code = code;
    this.location = options.location;
    this.detail = options.detail;
  }
}

/** One fault in the compose files: a syntax, schema, interpolation or consistency error. */
export class ComposeError extends BerthError {}

/**
 * A service named on the command line that the project does not define. Not a fault in the files, so the
 * loader throws it alone, with compose's wording, rather than among `ComposeErrors`.
 */
export class NoSuchServiceError extends BerthError {
  constructor(readonly service: string) {
    super(ErrorCodes.noSuchService, `no such service: ${service}`);
  }
}

/** Every fault found in one load, so that the user sees them all at once. */
export class ComposeErrors extends BerthError {
  readonly errors: readonly ComposeError[];

  constructor(errors: readonly ComposeError[]) {
    super("COMPOSE_INVALID", errors.map((e) => e.message).join("\n"), { location: undefined });
    this.errors = errors;
  }
}

/** Stable codes of loader errors. */
export const ErrorCodes = {
  fileNotFound: "COMPOSE_FILE_NOT_FOUND",
  noComposeFile: "COMPOSE_NO_FILE",
  yamlSyntax: "COMPOSE_YAML_SYNTAX",
  interpolation: "COMPOSE_INTERPOLATION",
  missingVariable: "COMPOSE_MISSING_VARIABLE",
  schema: "COMPOSE_SCHEMA",
  unknownKey: "COMPOSE_UNKNOWN_KEY",
  envFile: "COMPOSE_ENV_FILE",
  extends: "COMPOSE_EXTENDS",
  include: "COMPOSE_INCLUDE",
  noSuchService: "NO_SUCH_SERVICE",
  invalidValue: "COMPOSE_INVALID_VALUE",
  projectName: "COMPOSE_PROJECT_NAME",
  reference: "COMPOSE_UNDEFINED_REFERENCE",
} as const;
