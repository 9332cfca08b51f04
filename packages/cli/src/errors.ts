/**
 * Errors the CLI raises itself. `code` is stable; `exitCode` is what the process ends with.
 * Loader and engine errors keep their own classes and are printed by output/errors.ts.
 */
export class CliError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly detail?: string;

  constructor(
    code: string,
    message: string,
    options: { exitCode?: number; detail?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? 1;
    this.detail = options.detail;
  }
}

/** A flag or argument that commander accepted but whose value makes no sense. Exits 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super("CLI_USAGE", message, { exitCode: 2 });
  }
}
