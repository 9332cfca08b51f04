import type { Env, GlobalOptions } from "./options.js";

/** What every command gets besides its own arguments and flags. */
export interface CommandContext {
  global: GlobalOptions;
  env: Env;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** A command's module: imported only when the command runs. Returns the exit code. */
export interface CommandModule<O> {
  run(ctx: CommandContext, args: string[], opts: O): Promise<number>;
}
