import type { CommandModule } from "../context.js";
import type { Flag, FlagValues } from "./flag.js";

/** A positional argument in commander's syntax (`<service>`, `[command...]`), with help when it needs it. */
export type ArgumentSpec = string | { readonly syntax: string; readonly help: string };

/**
 * What `--dry-run` does to a command: `planned` ones print their plan (and take the flag after their
 * name too), `read-only` ones change nothing and run as they are; any other command is refused, with
 * `refused` saying why when there is a reason to give.
 */
export type DryRun = "planned" | "read-only" | { readonly refused: string };

/** A command as data: help, arguments and flags, and the handler, imported only when it runs. */
export interface DeclaredCommand {
  readonly name: string;
  readonly summary: string;
  readonly arguments?: readonly ArgumentSpec[];
  readonly flags: readonly Flag[];
  readonly dryRun?: DryRun;
  /** Flags after the first argument belong to it (`exec web ls -l`). */
  readonly passThroughOptions?: boolean;
  /** The handler's module; absent for a command that only groups subcommands (`alpha`). */
  readonly load?: () => Promise<CommandModule<never>>;
  readonly subcommands?: readonly DeclaredCommand[];
}

/** A declared command whose handler takes exactly the options its flags parse to. */
export interface CommandSpec<F extends readonly Flag[]> extends DeclaredCommand {
  readonly flags: F;
  readonly load?: () => Promise<CommandModule<FlagValues<F>>>;
}

/**
 * Declares a command; its handler must take the options its flags parse to (`FlagValues`), so a flag
 * cannot be added, renamed or retyped without the handler's type following.
 */
export function defineCommand<const F extends readonly Flag[]>(spec: CommandSpec<F>): CommandSpec<F> {
  return spec;
}
