import type { Env, GlobalOptions } from "./options.js";

/** What every command gets besides its own arguments and flags. */
export interface CommandContext {
  global: GlobalOptions;
  env: Env;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/**
 * A command's module: imported only when the command runs. Returns the exit code. `A` is the tuple of
 * its positional arguments (`ArgumentValues`), `O` its options (`FlagValues`). A property, not a method,
 * so that TypeScript checks both strictly against the command's declaration.
 */
export interface CommandModule<O, A extends unknown[] = []> {
  run: (ctx: CommandContext, args: A, opts: O) => Promise<number>;
}
