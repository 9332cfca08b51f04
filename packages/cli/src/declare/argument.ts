// A positional argument as data: what help calls it, how many words it takes and what it means. The
// builder (program.ts) turns it into a commander argument; `ArgumentValues` turns a command's list of
// them into the tuple its handler receives, as `FlagValues` does for its flags.

/**
 * How many words an argument takes: `one` (`<service>`), `optional` (`[service]`), `variadic`, zero or
 * more (`[service...]`), or `one-or-more` (`<service...>`). Only the last argument may be variadic.
 */
export type ArgumentKind = "one" | "optional" | "variadic" | "one-or-more";

export interface Argument {
  /** As help shows it between the brackets: `service`, `private_port`, `repository[:tag]`. */
  readonly name: string;
  readonly kind: ArgumentKind;
  /** Listed under "Arguments:" in help; commander lists every argument once one of them has help. */
  readonly help?: string;
}

/** The value an argument reaches the handler as. */
export type ArgumentValue<A extends Argument> = A["kind"] extends "one"
  ? string
  : A["kind"] extends "optional"
    ? string | undefined
    : A["kind"] extends "variadic"
      ? string[]
      : [string, ...string[]];

/** The handler's positional arguments for these declarations, in order: `[service: string, command: string[]]`. */
export type ArgumentValues<Args extends readonly Argument[]> = {
  -readonly [I in keyof Args]: Args[I] extends Argument ? ArgumentValue<Args[I]> : never;
};

/** Arguments declared together, with their literal types kept for `ArgumentValues`. */
export function args<const A extends readonly Argument[]>(...list: A): A {
  return list;
}

/** The argument in commander's (and help's) syntax: `<service>`, `[command...]`. */
export function argumentSyntax(argument: Argument): string {
  switch (argument.kind) {
    case "one":
      return `<${argument.name}>`;
    case "optional":
      return `[${argument.name}]`;
    case "variadic":
      return `[${argument.name}...]`;
    case "one-or-more":
      return `<${argument.name}...>`;
  }
}
