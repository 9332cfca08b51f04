import { describe, expect, it } from "vitest";
import { ComposeError, ErrorCodes } from "./errors.js";
import { normalizeProjectName, resolveProjectName, topLevelName } from "./project-name.js";

describe("normalizeProjectName", () => {
  it.each([
    ["myapp", "myapp"],
    ["My App.1", "myapp1"],
    ["__-x_y-", "x_y-"],
    ["Café ✓", "caf"],
    ["...", ""],
    ["123", "123"],
  ])("%s → %s", (input, output) => {
    expect(normalizeProjectName(input)).toBe(output);
  });
});

describe("resolveProjectName", () => {
  const base = { env: {}, projectDir: "/work/My Project" };

  it("prefers -p, then COMPOSE_PROJECT_NAME, then name:, then the directory", () => {
    const env = { COMPOSE_PROJECT_NAME: "fromenv" };
    expect(resolveProjectName({ ...base, explicit: "flag", env, topLevelName: "top" })).toBe("flag");
    expect(resolveProjectName({ ...base, env, topLevelName: "top" })).toBe("fromenv");
    expect(resolveProjectName({ ...base, topLevelName: "top" })).toBe("top");
    expect(resolveProjectName(base)).toBe("myproject");
  });

  it("skips empty values", () => {
    expect(
      resolveProjectName({ ...base, explicit: "", env: { COMPOSE_PROJECT_NAME: "" }, topLevelName: "" }),
    ).toBe("myproject");
  });

  it.each([
    [{ explicit: "Bad" }, "-p"],
    [{ env: { COMPOSE_PROJECT_NAME: "-x" } }, "COMPOSE_PROJECT_NAME"],
    [{ topLevelName: "my app" }, "the top-level name:"],
    [{ topLevelName: "_x" }, "the top-level name:"],
  ])("rejects the invalid chosen name %o", (opts, from) => {
    expect(() => resolveProjectName({ ...base, ...opts })).toThrow(
      expect.objectContaining({
        code: ErrorCodes.projectName,
        message: expect.stringMatching(new RegExp(`\\(from ${from}\\): use only lowercase letters`)),
      }),
    );
  });

  it("accepts digits first, dashes and underscores", () => {
    expect(resolveProjectName({ ...base, explicit: "1a_b-c" })).toBe("1a_b-c");
  });

  it("fails when nothing valid is left of the directory name", () => {
    expect(() => resolveProjectName({ ...base, projectDir: "/tmp/_.日本" })).toThrow(
      expect.objectContaining({
        code: ErrorCodes.projectName,
        message: expect.stringMatching(/cannot derive/),
      }),
    );
  });
});

describe("topLevelName", () => {
  const file = (...names: (string | undefined)[]) =>
    names.map((name) => ({
      path: "f",
      data: name === undefined ? {} : { name },
      locate: () => ({ file: "f", line: 1, column: 1 }),
    }));
  const asWritten = (raw: string) => raw;

  it("takes the last main file's name, from each file's first document only", () => {
    expect(topLevelName([file("one"), file(undefined), file("two", "ignored")], asWritten)).toBe("two");
    expect(topLevelName([file(undefined, "second-document")], asWritten)).toBeUndefined();
  });

  it("skips a name whose interpolation fails (the load reports it where it was written)", () => {
    const failing = (raw: string) => {
      if (raw.includes("$")) throw new ComposeError(ErrorCodes.missingVariable, "missing");
      return raw;
    };
    expect(topLevelName([file("kept"), file("${NAME:?}")], failing)).toBe("kept");
  });
});
