import { Command, Help, Option } from "commander";
import type { CommandContext } from "./context.js";
import { argumentSyntax } from "./declare/argument.js";
import type { DeclaredCommand } from "./declare/command.js";
import { COMMANDS } from "./declare/commands.js";
import { type Flag, flagKey } from "./declare/flag.js";
import { GLOBAL_FLAGS, globalFlagsAfter, mergeGlobalValues } from "./declare/global-flags.js";
import { checkDryRun } from "./dry-run.js";
import { type RawGlobalOptions, boolFlag, collect, integer, resolveGlobalOptions } from "./options.js";
import { berthVersion } from "./version.js";

/** Where a command's action leaves its exit code, and the global flags it was given, for main(). */
export interface RunState {
  exitCode: number;
  /** The global flags from before and after the command's name, once its action has started. */
  globals?: Partial<RawGlobalOptions>;
}

/**
 * The one place where declared commands (declare/commands.ts) become commander commands: help lists
 * every flag, and each command's code is imported only when it runs, which keeps `berth version` and
 * `berth config` from loading dockerode and listr2.
 */
export function buildProgram(state: RunState, commands: readonly DeclaredCommand[] = COMMANDS): Command {
  const program = new Command("berth");
  const declared = new Map<Command, DeclaredCommand>();
  // The global flags each command takes after its name (the program: before any), parsed there and
  // listed in its help.
  const globalsOf = (cmd: Command) =>
    cmd === program ? GLOBAL_FLAGS : globalFlagsAfter(declared.get(cmd)?.flags ?? []);
  program
    .description("Define and run multi-container applications, compatible with docker compose")
    .version(berthVersion(), "-v, --version", "show the Berth version")
    .enablePositionalOptions()
    .exitOverride()
    .helpCommand("help [command]", "show help for a command")
    .configureHelp({
      showGlobalOptions: true,
      // A command's "Global Options:" are those it takes after its name, not its parents' options.
      visibleGlobalOptions: (cmd) => (cmd === program ? [] : globalsOf(cmd).map((flag) => toOption(flag))),
      // Every command takes options, the global ones at least, which it gets only when it runs.
      subcommandTerm: (sub) => {
        const spec = declared.get(sub);
        if (!spec) return new Help().subcommandTerm(sub);
        return [spec.name, "[options]", ...(spec.arguments ?? []).map(argumentSyntax)].join(" ");
      },
    });
  for (const flag of GLOBAL_FLAGS) program.addOption(toOption(flag));
  const builder: Builder = { declared, globalsOf, state };
  for (const spec of commands) addCommand(program, spec, spec.name, builder);
  takeGlobalsInSubcommand(program, globalsOf);
  return program;
}

interface Builder {
  declared: Map<Command, DeclaredCommand>;
  globalsOf: (cmd: Command) => readonly Flag[];
  state: RunState;
}

function addCommand(parent: Command, spec: DeclaredCommand, path: string, builder: Builder): void {
  const { declared, globalsOf, state } = builder;
  const cmd = parent.command(spec.name).description(spec.summary);
  for (const arg of spec.arguments ?? []) cmd.argument(argumentSyntax(arg), arg.help);
  if (spec.passThroughOptions) cmd.passThroughOptions();
  for (const flag of spec.flags) cmd.addOption(toOption(flag));
  declared.set(cmd, spec);
  const load = spec.load;
  if (load) {
    cmd.action(async () => {
      const env = process.env;
      const chain: Command[] = [];
      for (let at: Command | null = cmd; at; at = at.parent) chain.unshift(at);
      state.globals = mergeGlobalValues(chain.map((at) => valuesOf(globalsOf(at), at.opts())));
      const global = resolveGlobalOptions(state.globals, env);
      const ctx: CommandContext = { global, env, stdout: process.stdout, stderr: process.stderr };
      checkDryRun(ctx, path, spec.dryRun);
      const mod = await load();
      state.exitCode = await mod.run(
        ctx,
        cmd.processedArgs as never,
        valuesOf(spec.flags, cmd.opts()) as never,
      );
    });
  }
  for (const sub of spec.subcommands ?? []) addCommand(cmd, sub, `${path} ${sub.name}`, builder);
  if (spec.subcommands) takeGlobalsInSubcommand(cmd, globalsOf);
}

/**
 * Gives the subcommand about to parse its global flags (hidden: help lists them apart), only then:
 * adding them to every command up front would double the time it takes to build the program.
 */
function takeGlobalsInSubcommand(parent: Command, globalsOf: (cmd: Command) => readonly Flag[]): void {
  parent.hook("preSubcommand", (_, sub) => {
    for (const flag of globalsOf(sub)) sub.addOption(toOption(flag).hideHelp());
  });
}

/** The values of these flags among a command's parsed options (which hold its global flags too). */
function valuesOf(declared: readonly Flag[], opts: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const flag of declared) {
    const key = flagKey(flag);
    if (opts[key] !== undefined) values[key] = opts[key];
  }
  return values;
}

/** A declared flag as commander's option: its syntax, parser, default and help come from the declaration. */
function toOption(flag: Flag): Option {
  const long = `--${flag.name}`;
  const names = flag.short ? `-${flag.short}, ${long}` : long;
  let option: Option;
  switch (flag.type) {
    case "boolean":
      option = new Option(names, flag.help);
      break;
    case "go-bool":
      option = new Option(`${names} [bool]`, flag.help).argParser(boolFlag);
      break;
    case "string":
      option = new Option(`${names} <${flag.value}>`, flag.help);
      if (flag.parse) option.argParser(flag.parse);
      if (flag.default !== undefined) option.default(flag.default);
      break;
    case "choice":
      option = new Option(`${names} <${flag.value}>`, flag.help).choices(flag.choices);
      if (flag.default !== undefined) option.default(flag.default);
      break;
    case "integer":
      option = new Option(`${names} <${flag.value}>`, flag.help).argParser(integer(long));
      if (flag.default !== undefined) option.default(flag.default);
      break;
    case "list":
      option = new Option(`${names} <${flag.value}>`, flag.help).argParser(collect);
      // `--no-attach SVC` takes a value: it names services, it does not negate --attach.
      option.negate = false;
      break;
  }
  if (flag.hidden) option.hideHelp();
  return option;
}
