import { isDeepStrictEqual } from "node:util";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import type { CommandContext } from "./context.js";
import { argumentSyntax } from "./declare/argument.js";
import type { DeclaredCommand } from "./declare/command.js";
import { COMMANDS } from "./declare/commands.js";
import { type Flag, flagKey } from "./declare/flag.js";
import { GLOBAL_FLAGS, globalFlagsAfter } from "./declare/global-flags.js";
import { IMAGE_FLAGS, RECREATE_FLAGS, TIMEOUT } from "./declare/shared-flags.js";
import { UsageError } from "./errors.js";
import { type RunState, buildProgram } from "./program.js";

interface Call {
  path: string;
  ctx: CommandContext;
  args: unknown[];
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
          run: async (ctx: CommandContext, args: unknown[], opts: never) => {
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
    .filter((arg) => arg.kind === "one" || arg.kind === "one-or-more")
    .map((_, i) => `arg${i}`);
}

/** Words for every declared argument (variadic ones twice), and the tuple the handler must receive. */
function everyArgument(spec: DeclaredCommand): { argv: string[]; expected: unknown[] } {
  const argv: string[] = [];
  const expected: unknown[] = [];
  (spec.arguments ?? []).forEach((arg, i) => {
    const words = arg.kind === "one" || arg.kind === "optional" ? [`arg${i}`] : [`arg${i}a`, `arg${i}b`];
    argv.push(...words);
    expected.push(words.length === 1 ? words[0] : words);
  });
  return { argv, expected };
}

/** The global flags' section of a command's help, and the rest. */
function helpSections(cmd: Command): { own: string; global: string } {
  const [own, rest = ""] = cmd.helpInformation().split("Global Options:");
  return { own, global: rest.split("\nCommands:")[0] };
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
      const help = helpSections(cmd).own;
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

  it("shows every declared argument in usage and hands each handler its arguments as declared", async () => {
    for (const [words, spec] of everyCommand()) {
      if (!spec.load) continue;
      const calls: Call[] = [];
      const program = buildProgram({ exitCode: 0 }, recording(COMMANDS, calls));
      const declared = spec.arguments ?? [];
      const usage = commandAt(program, words).usage();
      expect(usage, words.join(" ")).toBe(
        ["[options]", ...(spec.subcommands ? ["[command]"] : []), ...declared.map(argumentSyntax)].join(" "),
      );
      for (const arg of declared)
        if (arg.help) {
          const listed = helpSections(commandAt(program, words))
            .own.split("Arguments:")[1]
            ?.split("Options:")[0];
          expect(listed?.replace(/\s+/g, " "), words.join(" ")).toContain(` ${arg.name} ${arg.help} `);
        }
      const { argv, expected } = everyArgument(spec);
      await program.parseAsync([...words, ...argv], { from: "user" });
      expect(calls[0].args, words.join(" ")).toEqual(expected);
    }
  });

  it("hands an absent optional argument as undefined and an absent variadic one as []", async () => {
    const calls: Call[] = [];
    const program = () => buildProgram({ exitCode: 0 }, recording(COMMANDS, calls));
    await program().parseAsync(["up"], { from: "user" });
    await program().parseAsync(["stats"], { from: "user" });
    await program().parseAsync(["run", "web"], { from: "user" });
    expect(calls.map((c) => c.args)).toEqual([[[]], [undefined], ["web", []]]);
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

describe("global flags after the command's name", () => {
  /** A handler's options hold its own flags only. */
  function expectNoGlobals(opts: Record<string, unknown>): void {
    for (const flag of GLOBAL_FLAGS) expect(opts).not.toHaveProperty(flagKey(flag));
  }

  async function parse(argv: string[]): Promise<Call> {
    const calls: Call[] = [];
    await buildProgram({ exitCode: 0 }, recording(COMMANDS, calls)).parseAsync(argv, { from: "user" });
    expect(calls).toHaveLength(1);
    return calls[0];
  }

  it("mean after every command what they mean before it, and stay out of its options", async () => {
    for (const [words, spec] of everyCommand()) {
      if (!spec.load) continue;
      const taken = globalFlagsAfter(spec.flags);
      const accepted = taken.filter(
        // --dry-run is refused by attach (tested below); --parallel wants a number.
        (flag) =>
          flag.name !== "parallel" &&
          (flag.name !== "dry-run" || spec.dryRun === "planned" || spec.dryRun === "read-only"),
      );
      const parallel = taken.some((flag) => flag.name === "parallel") ? ["--parallel", "3"] : [];
      const given = [...everyFlag(accepted).argv, ...parallel];
      const args = requiredArgs(spec);
      const before = await parse([...given, ...words, ...args]);
      const after = await parse([...words, ...given, ...args]);
      expect(after.ctx.global, words.join(" ")).toEqual(before.ctx.global);
      expect(after.opts, words.join(" ")).toEqual(before.opts);
      expect(after.args, words.join(" ")).toEqual(before.args);
    }
  });

  it("leave a flag of the command's own, by name or letter, to the command", async () => {
    const run = await parse(["run", "-p", "8080:80", "--project-name", "shop", "web"]);
    expect([run.opts.publish, run.ctx.global.projectName]).toEqual([["8080:80"], "shop"]);
    const exec = await parse(["exec", "-e", "A=1", "-f", "compose.yaml", "web", "true"]);
    expect([exec.opts.env, exec.ctx.global.files]).toEqual([["A=1"], ["compose.yaml"]]);
    const logs = await parse(["logs", "-f", "--file", "compose.yaml"]);
    expect([logs.opts.follow, logs.ctx.global.files]).toEqual([true, ["compose.yaml"]]);
    const rm = await parse(["rm", "-f"]);
    expect([rm.opts.force, rm.ctx.global.files]).toEqual([true, []]);
    const commit = await parse(["commit", "web", "-p"]);
    expect([commit.opts.pause, commit.ctx.global.projectName]).toEqual([true, undefined]);
    // build's own hidden --parallel is compose's deprecated boolean: 3 is a service there.
    const build = await parse(["--parallel", "2", "build", "--parallel", "3"]);
    expect([build.opts.parallel, build.args, build.ctx.global.parallel]).toEqual([true, [["3"]], 2]);
    // deploy takes -f and -p as its own (the stack's files and name): the handler reads both places.
    const deploy = await parse(["-p", "a", "deploy", "-p", "b", "--progress", "plain"]);
    expect([deploy.opts.projectName, deploy.ctx.global.projectName, deploy.ctx.global.progress]).toEqual([
      "b",
      "a",
      "plain",
    ]);
  });

  it("pass through to the command of run and exec untouched after the service's name", async () => {
    const run = await parse(["run", "--rm", "web", "ls", "-p", "--progress", "quiet", "-f", "x"]);
    expect(run.args).toEqual(["web", ["ls", "-p", "--progress", "quiet", "-f", "x"]]);
    expect(run.opts).toMatchObject({ rm: true });
    expectNoGlobals(run.opts);
    expect(run.ctx.global).toMatchObject({ projectName: undefined, progress: "auto", files: [] });
    const exec = await parse(["exec", "web", "env", "-p", "--dry-run"]);
    expect(exec.args).toEqual(["web", ["env", "-p", "--dry-run"]]);
    expect(exec.ctx.global.dryRun).toBe(false);
  });

  it("add up with the same flags before the name: a later single value wins, lists append", async () => {
    const up = await parse([
      ...["-f", "a.yaml", "-p", "one", "--progress", "plain", "--profile", "x", "--env-file", "1.env"],
      ...["up", "-d", "-f", "b.yaml", "--project-name", "two", "--progress", "quiet", "--profile", "y"],
      ...["--env-file", "2.env", "-f", "c.yaml", "web"],
    ]);
    expect(up.ctx.global).toMatchObject({
      files: ["a.yaml", "b.yaml", "c.yaml"],
      projectName: "two",
      progress: "quiet",
      profiles: ["x", "y"],
      envFiles: ["1.env", "2.env"],
    });
    expect([up.opts.detach, up.args]).toEqual([true, [["web"]]]);
    expectNoGlobals(up.opts);
    // Each command word of a subcommand takes them too, in order.
    const viz = await parse(["-f", "a", "alpha", "-f", "b", "viz", "-f", "c", "--ansi", "never"]);
    expect([viz.ctx.global.files, viz.ctx.global.ansi]).toEqual([["a", "b", "c"], "never"]);
  });

  it("refuse --dry-run after a command that refuses it before, in the same words", async () => {
    const before = parse(["--dry-run", "attach", "web"]);
    await expect(before).rejects.toThrow(UsageError);
    await expect(parse(["attach", "--dry-run", "web"])).rejects.toThrow(await before.catch((e) => e));
  });

  it("leave main the flags after the name too, for the error it prints", async () => {
    const state: RunState = { exitCode: 0 };
    const failing: DeclaredCommand[] = [
      {
        name: "fail",
        summary: "",
        flags: [],
        load: async () => ({
          run: async () => {
            throw new Error("boom");
          },
        }),
      },
    ];
    const program = buildProgram(state, failing);
    await expect(
      program.parseAsync(["--ansi", "always", "fail", "--verbose", "--ansi", "never"], { from: "user" }),
    ).rejects.toThrow("boom");
    expect(state.globals).toMatchObject({ verbose: true, ansi: "never" });
  });

  it("are listed in each command's help under Global Options, as the command takes them", () => {
    const program = buildProgram({ exitCode: 0 });
    for (const [words, spec] of everyCommand()) {
      const { global } = helpSections(commandAt(program, words));
      const listed = global.match(/^ {2}\S.*$/gm)?.map((line) => line.trim().split(/\s{2,}/)[0]) ?? [];
      const expected = globalFlagsAfter(spec.flags).map((flag) => {
        const names = flag.short ? `-${flag.short}, --${flag.name}` : `--${flag.name}`;
        return flag.type === "boolean" ? names : `${names} <${flag.value}>`;
      });
      expect(listed, words.join(" ")).toEqual(expected);
    }
    const run = helpSections(commandAt(program, ["run"]));
    expect(run.own).toContain("-p, --publish <port>");
    expect(run.global).toMatch(/^ {2}--project-name <name> {2,}project name$/m);
    // top has no flags of its own, but takes the global ones.
    expect(program.helpInformation()).toMatch(/^ {2}top \[options\] \[service\.\.\.\] /m);
    // -v after down is --volumes; --version is the root command's only.
    expect(helpSections(commandAt(program, ["down"])).global).not.toContain("--version");
  });
});
