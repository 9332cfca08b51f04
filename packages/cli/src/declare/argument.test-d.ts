import { describe, expectTypeOf, it } from "vitest";
import type { CommandModule } from "../context.js";
import { type ArgumentValues, args } from "./argument.js";
import { defineCommand } from "./command.js";
import { flags } from "./flag.js";

const DETACH = flags({ name: "detach", type: "boolean", help: "" });
type DetachOptions = { detach: boolean | undefined };

describe("argument declarations as types", () => {
  it("derive each argument's value, in order", () => {
    const declared = args(
      { name: "service", kind: "one" },
      { name: "repository[:tag]", kind: "optional" },
      { name: "command", kind: "variadic" },
    );
    expectTypeOf<ArgumentValues<typeof declared>>().toEqualTypeOf<[string, string | undefined, string[]]>();
    const some = args({ name: "service", kind: "one-or-more" });
    expectTypeOf<ArgumentValues<typeof some>>().toEqualTypeOf<[[string, ...string[]]]>();
    expectTypeOf<ArgumentValues<[]>>().toEqualTypeOf<[]>();
  });

  it("refuse a handler whose arguments differ from the declared ones", () => {
    const handler = {} as CommandModule<DetachOptions, [string, string[]]>;
    defineCommand({
      name: "ok",
      summary: "",
      arguments: args({ name: "service", kind: "one" }, { name: "command", kind: "variadic" }),
      flags: DETACH,
      load: async () => handler,
    });
    defineCommand({
      name: "missing",
      summary: "",
      arguments: args({ name: "service", kind: "one" }),
      flags: DETACH,
      // @ts-expect-error: the handler reads a command, which the command does not declare
      load: async () => handler,
    });
    defineCommand({
      name: "none",
      summary: "",
      flags: DETACH,
      // @ts-expect-error: a command without `arguments` takes none
      load: async () => handler,
    });
    defineCommand({
      name: "optional",
      summary: "",
      arguments: args({ name: "service", kind: "optional" }, { name: "command", kind: "variadic" }),
      flags: DETACH,
      // @ts-expect-error: the service may be absent, the handler expects a string
      load: async () => handler,
    });
    defineCommand({
      name: "one",
      summary: "",
      arguments: args({ name: "service", kind: "one" }, { name: "command", kind: "one" }),
      flags: DETACH,
      // @ts-expect-error: the command is one word, the handler expects a list
      load: async () => handler,
    });
  });

  it("accept a handler that takes a required list as a plain one", () => {
    const handler = {} as CommandModule<DetachOptions, [string[]]>;
    defineCommand({
      name: "wait",
      summary: "",
      arguments: args({ name: "service", kind: "one-or-more" }),
      flags: DETACH,
      load: async () => handler,
    });
  });
});
