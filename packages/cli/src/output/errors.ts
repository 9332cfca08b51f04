import path from "node:path";
import { CliError } from "../errors.js";
import { ExitCode } from "../exit-codes.js";
import type { Env } from "../options.js";
import { red } from "./colors.js";
import { redact } from "./redact.js";

/** The shape shared by loader and engine errors (BerthError), checked structurally to avoid importing them. */
interface LocatedError extends Error {
  code?: string;
  location?: { file: string; line: number; column: number };
  detail?: string;
  errors?: readonly LocatedError[];
}

/** A location as the user typed it: relative to the current directory when the file is below it. */
function showFile(file: string, cwd: string): string {
  if (!path.isAbsolute(file)) return file;
  const rel = path.relative(cwd, file);
  return rel.startsWith("..") || path.isAbsolute(rel) ? file : rel;
}

function describe(err: LocatedError, cwd: string): string {
  const loc = err.location;
  if (!loc) return err.message;
  const prefix = `${loc.file}:${loc.line}:${loc.column}: `;
  const message = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
  return `${showFile(loc.file, cwd)}:${loc.line}:${loc.column}: ${message}`;
}

/** Lines to print for an error: `error: …` first, then one line per detail; secret values are masked. */
export function formatError(error: unknown, cwd: string, debug: boolean): string[] {
  const err: LocatedError = error instanceof Error ? error : new Error(String(error));
  const lines: string[] = [];
  if (err.errors && err.errors.length > 0) {
    const n = err.errors.length;
    lines.push(
      `error: the compose file is invalid (${n} ${n === 1 ? "problem" : "problems"}); fix ${n === 1 ? "it" : "them"} and retry:`,
    );
    for (const e of err.errors) lines.push(`  ${describe(e, cwd)}`);
  } else {
    lines.push(`error: ${describe(err, cwd)}`);
  }
  if (err.detail)
    lines.push(
      ...err.detail
        .trimEnd()
        .split("\n")
        .map((l) => `  ${l}`),
    );
  if (debug && err.stack) lines.push(err.stack);
  return lines.map(redact);
}

/** `verbose` (`--verbose`) adds the stack trace, as BERTH_DEBUG=1 does. */
export function printError(
  error: unknown,
  stderr: NodeJS.WritableStream,
  env: Env,
  color: boolean,
  verbose = false,
): void {
  const [first, ...rest] = formatError(error, process.cwd(), verbose || env.BERTH_DEBUG === "1");
  stderr.write(`${color ? red(first) : first}\n`);
  for (const line of rest) stderr.write(`${line}\n`);
}

export function exitCodeOf(error: unknown): number {
  return error instanceof CliError ? error.exitCode : ExitCode.failure;
}
