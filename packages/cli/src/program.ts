import { Command, Option } from "commander";
import type { CommandContext } from "./context.js";
import type { DeclaredCommand } from "./declare/command.js";
import { COMMANDS } from "./declare/commands.js";
import type { Flag } from "./declare/flag.js";
import { GLOBAL_FLAGS } from "./declare/global-flags.js";
import { checkDryRun } from "./dry-run.js";
import { type RawGlobalOptions, boolFlag, collect, integer, resolveGlobalOptions } from "./options.js";
import { berthVersion } from "./version.js";

/** Where a command's action leaves its exit code for main(). */
export interface RunState {
  exitCode: number;
}

/**
 * The one place where declared commands (declare/commands.ts) become commander commands: help lists
 * every flag, and each command's code is imported only when it runs, which keeps `berth version` and
 * `berth config` from loading dockerode and listr2.
 */
export function buildProgram(state: RunState, commands: readonly DeclaredCommand[] = COMMANDS): Command {
  const program = new Command("berth");
  program
    .description("Define and run multi-container applications, compatible with docker compose")
    .version(berthVersion(), "-v, --version", "show the Berth version")
    .enablePositionalOptions()
    .exitOverride()
    .helpCommand("help [command]", "show help for a command")
    .configureHelp({ showGlobalOptions: true });
  for (const flag of GLOBAL_FLAGS) program.addOption(toOption(flag));
  for (const spec of commands) addCommand(program, spec, spec.name, program, state);
  return program;
}

function addCommand(
  parent: Command,
  spec: DeclaredCommand,
  path: string,
  program: Command,
  state: RunState,
): void {
  const cmd = parent.command(spec.name).description(spec.summary);
  for (const arg of spec.arguments ?? []) {
    if (typeof arg === "string") cmd.argument(arg);
    else cmd.argument(arg.syntax, arg.help);
  }
  if (spec.passThroughOptions) cmd.passThroughOptions();
  for (const flag of spec.flags) cmd.addOption(toOption(flag));
  // docker compose takes --dry-run after the command's name too; help lists it once, with the globals.
  if (spec.dryRun === "planned") cmd.addOption(new Option("--dry-run").hideHelp());
  const load = spec.load;
  if (load) {
    cmd.action(async (...actionArgs: unknown[]) => {
      const self = actionArgs.at(-1) as Command;
      const env = process.env;
      const global = resolveGlobalOptions(program.opts<RawGlobalOptions>(), env);
      // After a planned command's name (`berth down --dry-run`) the flag means what it means before it.
      if (self.opts().dryRun === true) global.dryRun = true;
      const ctx: CommandContext = { global, env, stdout: process.stdout, stderr: process.stderr };
      checkDryRun(ctx, path, spec.dryRun);
      const mod = await load();
      state.exitCode = await mod.run(ctx, self.args, self.opts() as never);
    });
  }
  for (const sub of spec.subcommands ?? []) addCommand(cmd, sub, `${path} ${sub.name}`, program, state);
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
