import { describe, expectTypeOf, it } from "vitest";
import type { CommandModule } from "../context.js";
import type { RawGlobalOptions } from "../global-options.js";
import { defineCommand } from "./command.js";
import type { LifecycleFlags, UpFlags } from "./commands.js";
import { type FlagValues, flagKey, flags } from "./flag.js";

describe("flag declarations as types", () => {
  it("derive each flag's key and value type", () => {
    const declared = flags(
      { name: "detach", short: "d", type: "boolean", help: "" },
      { name: "no-deps", type: "boolean", help: "" },
      { name: "build", type: "boolean", help: "" },
      { name: "no-build", type: "boolean", help: "" },
      { name: "no-attach", type: "list", value: "service", help: "" },
      { name: "pull", type: "choice", value: "policy", choices: ["always", "never"], help: "" },
      { name: "rmi", type: "choice", value: "type", choices: ["local", "all"], default: "all", help: "" },
      { name: "wait-timeout", type: "integer", value: "seconds", help: "" },
      { name: "index", type: "integer", value: "n", default: 1, help: "" },
      { name: "tail", type: "string", value: "lines", default: "all", help: "" },
      { name: "since", type: "string", value: "time", help: "" },
      { name: "sig-proxy", type: "go-bool", help: "" },
    );
    expectTypeOf<FlagValues<typeof declared>>().toEqualTypeOf<{
      detach: boolean | undefined;
      deps: boolean;
      build: boolean | undefined;
      noAttach: string[] | undefined;
      pull: "always" | "never" | undefined;
      rmi: "local" | "all";
      waitTimeout: number | undefined;
      index: number;
      tail: string;
      since: string | undefined;
      sigProxy: boolean | undefined;
    }>();
    expectTypeOf(flagKey(declared[1])).toEqualTypeOf<"deps">();
    expectTypeOf(flagKey(declared[7])).toEqualTypeOf<"waitTimeout">();
  });

  it("give up's handler exactly the options its flags parse to", () => {
    expectTypeOf<UpFlags>().toEqualTypeOf<{
      detach: boolean | undefined;
      build: boolean | undefined;
      pull: "always" | "missing" | "never" | undefined;
      quietPull: boolean | undefined;
      wait: boolean | undefined;
      waitTimeout: number | undefined;
      forceRecreate: boolean | undefined;
      recreate: boolean;
      removeOrphans: boolean | undefined;
      deps: boolean;
      scale: string[] | undefined;
      timeout: number | undefined;
      abortOnContainerExit: boolean | undefined;
      exitCodeFrom: string | undefined;
      attach: string[] | undefined;
      noAttach: string[] | undefined;
      logPrefix: boolean;
      color: boolean;
      timestamps: boolean | undefined;
      watch: boolean | undefined;
    }>();
    expectTypeOf<LifecycleFlags>().toEqualTypeOf<{ timeout?: number | undefined; signal?: string }>();
    expectTypeOf<RawGlobalOptions["progress"]>().toEqualTypeOf<
      "auto" | "tty" | "plain" | "json" | "quiet" | undefined
    >();
  });

  it("refuse a handler whose options differ from the declared flags", () => {
    const handler = {} as CommandModule<{ detach: boolean | undefined; wait: boolean | undefined }>;
    defineCommand({
      name: "ok",
      summary: "",
      flags: flags(
        { name: "detach", type: "boolean", help: "" },
        { name: "wait", type: "boolean", help: "" },
      ),
      load: async () => handler,
    });
    defineCommand({
      name: "missing",
      summary: "",
      flags: flags({ name: "detach", type: "boolean", help: "" }),
      // @ts-expect-error: the handler reads --wait, which the command does not declare
      load: async () => handler,
    });
    defineCommand({
      name: "retyped",
      summary: "",
      flags: flags(
        { name: "detach", type: "boolean", help: "" },
        { name: "wait", type: "integer", value: "n", help: "" },
      ),
      // @ts-expect-error: --wait parses to a number, the handler expects a boolean
      load: async () => handler,
    });
  });
});
