import type { Env, GlobalOptions } from "./options.js";

/** What every command gets besides its own arguments and flags. */
export interface CommandContext {
  global: GlobalOptions;
  env: Env;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/**
 * A command's module: imported only when the command runs. Returns the exit code. A property, not a
 * method, so that TypeScript checks the handler's options type strictly against its declaration.
 */
export interface CommandModule<O> {
  run: (ctx: CommandContext, args: string[], opts: O) => Promise<number>;
}
