import { isDeepStrictEqual } from "node:util";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import type { CommandContext } from "./context.js";
import type { DeclaredCommand } from "./declare/command.js";
import { COMMANDS } from "./declare/commands.js";
import { type Flag, flagKey } from "./declare/flag.js";
import { GLOBAL_FLAGS } from "./declare/global-flags.js";
import { IMAGE_FLAGS, RECREATE_FLAGS, TIMEOUT } from "./declare/shared-flags.js";
import { UsageError } from "./errors.js";
import { buildProgram } from "./program.js";

interface Call {
  path: string;
  ctx: CommandContext;
  args: string[];
  opts: Record<string, unknown>;
}

/** The declared commands with handlers that record what they receive: the builder is what is tested. */
function recording(commands: readonly DeclaredCommand[], calls: Call[], prefix = ""): DeclaredCommand[] {
  return commands.map((spec) => {
    const path = `${prefix}${spec.name}`;
    return {
      ...spec,
      load:
        spec.load &&
        (async () => ({
          run: async (ctx: CommandContext, args: string[], opts: never) => {
            calls.push({ path, ctx, args, opts });
            return 0;
          },
        })),
      subcommands: spec.subcommands && recording(spec.subcommands, calls, `${path} `),
    };
  });
}

/** Every declared command with its words (`deploy ps`). */
function everyCommand(commands = COMMANDS, prefix: string[] = []): [string[], DeclaredCommand][] {
  return commands.flatMap((spec) => {
    const words = [...prefix, spec.name];
    return [[words, spec] as [string[], DeclaredCommand], ...everyCommand(spec.subcommands ?? [], words)];
  });
}

function commandAt(program: Command, words: string[]): Command {
  return words.reduce((cmd, word) => cmd.commands.find((c) => c.name() === word)!, program);
}

/** A command line giving every flag once (lists twice), and the options commander must hand over. */
function everyFlag(declared: readonly Flag[]): { argv: string[]; expected: Record<string, unknown> } {
  const argv: string[] = [];
  const expected: Record<string, unknown> = {};
  for (const flag of declared) {
    const long = `--${flag.name}`;
    const key = flagKey(flag);
    switch (flag.type) {
      case "boolean":
        argv.push(long);
        expected[key] = !flag.name.startsWith("no-");
        break;
      case "go-bool":
        argv.push(`${long}=false`);
        expected[key] = false;
        break;
      case "string":
        argv.push(long, flag.default ?? "some value");
        expected[key] = flag.default ?? "some value";
        break;
      case "choice":
        argv.push(long, flag.choices.at(-1)!);
        expected[key] = flag.choices.at(-1);
        break;
      case "integer":
        argv.push(long, "7");
        expected[key] = 7;
        break;
      case "list":
        argv.push(long, "a", long, "b");
        expected[key] = ["a", "b"];
        break;
    }
  }
  return { argv, expected };
}

/** Values for the required arguments (`<service>`, `<command...>`). */
function requiredArgs(spec: DeclaredCommand): string[] {
  return (spec.arguments ?? [])
    .map((arg) => (typeof arg === "string" ? arg : arg.syntax))
    .filter((syntax) => syntax.startsWith("<"))
    .map((_, i) => `arg${i}`);
}

describe("commands declared as data", () => {
  it("lists every declared command, flag and value in help, and hides the hidden flags", () => {
    const program = buildProgram({ exitCode: 0 });
    const root = program.helpInformation();
    for (const flag of GLOBAL_FLAGS) expect(root).toContain(`--${flag.name}`);
    for (const [words, spec] of everyCommand()) {
      const cmd = commandAt(program, words);
      expect(cmd.description()).toBe(spec.summary);
      // The command's own options, before the global ones (which a hidden flag may share a name with).
      const help = cmd.helpInformation().split("Global Options:")[0];
      for (const flag of spec.flags) {
        const names = flag.short ? `-${flag.short}, --${flag.name}` : `--${flag.name}`;
        if (flag.hidden) expect(help, words.join(" ")).not.toContain(`--${flag.name}`);
        else if (flag.type === "boolean") expect(help, words.join(" ")).toContain(`${names} `);
        else if (flag.type === "go-bool") expect(help, words.join(" ")).toContain(`${names} [bool]`);
        else expect(help, words.join(" ")).toContain(`${names} <${flag.value}>`);
      }
    }
  });

  it("hands each handler exactly the options its declared flags parse to", async () => {
    for (const [words, spec] of everyCommand()) {
      if (!spec.load) continue;
      const calls: Call[] = [];
      const program = buildProgram({ exitCode: 0 }, recording(COMMANDS, calls));
      const { argv, expected } = everyFlag(spec.flags);
      await program.parseAsync([...words, ...argv, ...requiredArgs(spec)], { from: "user" });
      expect(calls.map((c) => c.path)).toEqual([words.join(" ")]);
      expect(calls[0].opts, words.join(" ")).toEqual(expected);
    }
  });

  it("reads the global flags before the command into the context", async () => {
    const calls: Call[] = [];
    const program = buildProgram({ exitCode: 0 }, recording(COMMANDS, calls));
    const { argv } = everyFlag(GLOBAL_FLAGS.filter((f) => f.name !== "parallel"));
    await program.parseAsync([...argv, "--parallel", "3", "config"], { from: "user" });
    expect(Object.keys(program.opts()).sort()).toEqual(GLOBAL_FLAGS.map(flagKey).sort());
    expect(calls[0].ctx.global).toMatchObject({
      files: ["a", "b"],
      parallel: 3,
      verbose: true,
      dryRun: true,
    });
  });

  it("takes --dry-run after a planned command's name, runs read-only ones and refuses the others", async () => {
    const calls: Call[] = [];
    const program = () => buildProgram({ exitCode: 0 }, recording(COMMANDS, calls));
    await program().parseAsync(["down", "--dry-run"], { from: "user" });
    await program().parseAsync(["--dry-run", "ps"], { from: "user" });
    await program().parseAsync(["wait", "--down-project", "--dry-run", "job"], { from: "user" });
    await program().parseAsync(["watch", "--dry-run"], { from: "user" });
    expect(calls.map((c) => [c.path, c.ctx.global.dryRun])).toEqual([
      ["down", true],
      ["ps", true],
      ["wait", true],
      ["watch", true],
    ]);
    await expect(program().parseAsync(["--dry-run", "attach", "web"], { from: "user" })).rejects.toThrow(
      new UsageError(
        "--dry-run is not supported by berth attach (interactive run is not supported in dry-run mode, as in docker compose): run it without --dry-run",
      ),
    );
    expect(calls).toHaveLength(4);
  });

  it("declares a flag that several commands share once", () => {
    // Names that mean something else from one command to the next.
    const distinct = new Set([
      "detach",
      "quiet",
      "format",
      "all",
      "volumes",
      "services",
      "pull",
      "index",
      "timestamps",
      "output",
      "wait",
      "wait-timeout",
      "prune",
      "workdir",
    ]);
    const byName = new Map<string, Set<Flag>>();
    for (const [, spec] of everyCommand())
      for (const flag of spec.flags) byName.set(flag.name, (byName.get(flag.name) ?? new Set()).add(flag));
    const repeated = [...byName].filter(([name, declared]) => declared.size > 1 && !distinct.has(name));
    expect(repeated.map(([name]) => name)).toEqual([]);
    // Where the meaning differs, the declarations differ too: two equal ones are a copy of one.
    const copies = [...byName.values()].flatMap((declared) =>
      [...declared].filter((a, i) => [...declared].slice(i + 1).some((b) => isDeepStrictEqual(a, b))),
    );
    expect(copies.map((flag) => flag.name)).toEqual([]);
    const up = COMMANDS.find((c) => c.name === "up")!;
    const create = COMMANDS.find((c) => c.name === "create")!;
    for (const flag of [...IMAGE_FLAGS, ...RECREATE_FLAGS]) {
      expect(up.flags).toContain(flag);
      expect(create.flags).toContain(flag);
    }
    for (const name of ["up", "down", "stop", "restart"])
      expect(COMMANDS.find((c) => c.name === name)!.flags).toContain(TIMEOUT);
  });
});
