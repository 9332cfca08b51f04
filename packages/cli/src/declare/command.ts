import type { CommandModule } from "../context.js";
import type { Argument, ArgumentValues } from "./argument.js";
import type { Flag, FlagValues } from "./flag.js";

/**
 * What `--dry-run` does to a command: `planned` ones print their plan, `read-only` ones change nothing
 * and run as they are; any other command is refused, with `refused` saying why when there is a reason
 * to give.
 */
export type DryRun = "planned" | "read-only" | { readonly refused: string };

/** A command as data: help, arguments and flags, and the handler, imported only when it runs. */
export interface DeclaredCommand {
  readonly name: string;
  readonly summary: string;
  readonly arguments?: readonly Argument[];
  readonly flags: readonly Flag[];
  readonly dryRun?: DryRun;
  /** Flags after the first argument belong to it (`exec web ls -l`). */
  readonly passThroughOptions?: boolean;
  /** The handler's module; absent for a command that only groups subcommands (`alpha`). */
  readonly load?: () => Promise<CommandModule<never, never>>;
  readonly subcommands?: readonly DeclaredCommand[];
}

/** A declared command whose handler takes exactly the arguments and options its declaration parses to. */
export interface CommandSpec<F extends readonly Flag[], A extends readonly Argument[]>
  extends DeclaredCommand {
  readonly flags: F;
  readonly arguments?: A;
  readonly load?: () => Promise<CommandModule<FlagValues<F>, ArgumentValues<A>>>;
}

/**
 * Declares a command; its handler must take the arguments and options it parses to (`ArgumentValues`,
 * `FlagValues`), so an argument or flag cannot be added, renamed or retyped without the handler's type
 * following. A command without `arguments` takes none.
 */
export function defineCommand<const F extends readonly Flag[], const A extends readonly Argument[] = []>(
  spec: CommandSpec<F, A>,
): CommandSpec<F, A> {
  return spec;
}
