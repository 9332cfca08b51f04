// A command-line flag as data: what it is called, what it takes and what its value is. The builder
// (program.ts) turns it into a commander option; `FlagValues` turns a list of them into the type of the
// options a handler receives, so help, parsing and the handler's type come from one declaration.

interface FlagBase {
  /** The long name as typed, without the dashes: `wait-timeout`, `no-build`. */
  readonly name: string;
  /** One letter: `d` for `-d`. */
  readonly short?: string;
  readonly help: string;
  /** Accepted but not listed in help (compose's deprecated or alias flags). */
  readonly hidden?: boolean;
}

/** `--detach`; a boolean named `no-…` (`--no-build`) sets the un-prefixed key to false. */
export interface BooleanFlag extends FlagBase {
  readonly type: "boolean";
}

/** `--since <time>`; `parse` may refuse a value with a usage error. */
export interface StringFlag extends FlagBase {
  readonly type: "string";
  /** The placeholder in help: `<time>`. */
  readonly value: string;
  readonly default?: string;
  readonly parse?: (value: string) => string;
}

/** `--pull <policy>`, one of a fixed list. */
export interface ChoiceFlag extends FlagBase {
  readonly type: "choice";
  readonly value: string;
  readonly choices: readonly string[];
  readonly default?: string;
}

/** `--timeout <seconds>`: a whole number, 0 or more. */
export interface IntegerFlag extends FlagBase {
  readonly type: "integer";
  readonly value: string;
  readonly default?: number;
}

/** `-e KEY=VALUE`, repeatable: every use, in order. */
export interface ListFlag extends FlagBase {
  readonly type: "list";
  readonly value: string;
}

/** `--sig-proxy[=false]`: a Go-style boolean that takes an optional value, as docker's flags do. */
export interface GoBoolFlag extends FlagBase {
  readonly type: "go-bool";
}

export type Flag = BooleanFlag | StringFlag | ChoiceFlag | IntegerFlag | ListFlag | GoBoolFlag;

type Camel<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<Camel<Tail>>}`
  : S;

/** The key of a flag's value in the handler's options, as commander names it: `--no-build` → `build`. */
export type FlagKey<F extends Flag> = F extends { type: "boolean"; name: `no-${infer Rest}` }
  ? Camel<Rest>
  : Camel<F["name"]>;

type Given<F, T> = F extends { default: unknown } ? T : T | undefined;

/** The parsed value of a flag. */
export type FlagValue<F extends Flag> = F extends BooleanFlag
  ? F["name"] extends `no-${string}`
    ? boolean
    : boolean | undefined
  : F extends ChoiceFlag
    ? Given<F, F["choices"][number]>
    : F extends IntegerFlag
      ? Given<F, number>
      : F extends StringFlag
        ? Given<F, string>
        : F extends ListFlag
          ? string[] | undefined
          : boolean | undefined;

/**
 * The options a handler gets for these flags. `--build` and `--no-build` share the key `build`
 * (true, false, or undefined when neither is given).
 */
export type FlagValues<Flags extends readonly Flag[]> = {
  [F in Flags[number] as FlagKey<F>]: FlagValue<F>;
};

/** The runtime twin of `FlagKey`. */
export function flagKey<F extends Flag>(flag: F): FlagKey<F> {
  const name = flag.type === "boolean" && flag.name.startsWith("no-") ? flag.name.slice(3) : flag.name;
  return name.replace(/-(.)/g, (_, letter: string) => letter.toUpperCase()) as FlagKey<F>;
}

/** Flags declared together, with their literal types kept for `FlagValues`. */
export function flags<const F extends readonly Flag[]>(...list: F): F {
  return list;
}

/** One flag, with its literal type kept. */
export function flag<const F extends Flag>(declaration: F): F {
  return declaration;
}
