import { CommanderError } from "commander";
import { ExitCode } from "./exit-codes.js";
import type { RawGlobalOptions } from "./options.js";
import { useColor } from "./output/colors.js";
import { exitCodeOf, printError } from "./output/errors.js";
import { type RunState, buildProgram } from "./program.js";

/** Runs `berth` with these arguments (without node and the script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  // A reader that stops early (`berth config | head`) is not an error to report: end quietly.
  process.stdout.on("error", endOnBrokenPipe);
  const state: RunState = { exitCode: ExitCode.ok };
  const program = buildProgram(state);
  if (argv.length === 0) {
    program.outputHelp();
    return ExitCode.ok;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
    if (state.exitCode === ExitCode.interrupted) exitSoon(state.exitCode);
    return state.exitCode;
  } catch (error) {
    // commander has already printed its message; help and --version end with 0, usage errors with 2.
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    const env = process.env;
    // Before and after the command's name once its action started, else as far as they were parsed.
    const globals = state.globals ?? program.opts<RawGlobalOptions>();
    // The flags may be what failed to parse, so fall back to "auto" rather than fail again.
    const wanted = globals.ansi ?? env.COMPOSE_ANSI;
    const ansi = wanted === "always" || wanted === "never" ? wanted : "auto";
    // Loaded only on failure: startup stays as light as it was.
    const { explainEngineGone } = await import("./engine-gone.js");
    const explained = await explainEngineGone(error, env);
    const verbose = globals.verbose === true;
    printError(explained, process.stderr, env, useColor(ansi, env, process.stderr.isTTY), verbose);
    return exitCodeOf(explained);
  }
}

/**
 * After Ctrl-C the command has cancelled what it could; a request the engine never answers (a hung
 * registry behind a pull the engine cannot cancel) must not keep the process alive. The timer does not
 * itself hold the process: when nothing else is pending, it exits at once.
 */
function exitSoon(code: number): void {
  setTimeout(() => process.exit(code), 500).unref();
}

function endOnBrokenPipe(error: NodeJS.ErrnoException): void {
  if (error.code === "EPIPE") process.exit(ExitCode.brokenPipe);
  throw error;
}
