import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "./main.js";
import { versionOnlyOutput } from "./version-only.js";

/** What the full program (commander and the version command) writes to stdout for `argv`. */
async function programOutput(argv: string[]): Promise<string> {
  let out = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const code = await main(argv);
  vi.restoreAllMocks();
  expect(code).toBe(0);
  return out;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("versionOnlyOutput", () => {
  it.each([
    [["version"]],
    [["version", "--short"]],
    [["version", "--format", "json"]],
    [["version", "--format=json"]],
    [["version", "--format", "pretty"]],
    [["version", "--format", "json", "--short"]],
    [["version", "--format", "json", "--format", "pretty"]],
    [["-v"]],
    [["--version"]],
  ])("prints what the full program prints for %j", async (argv) => {
    const quick = versionOnlyOutput(argv, {});
    expect(quick).toBeDefined();
    expect(quick).toBe(await programOutput(argv));
  });

  it.each([
    [[]],
    [["version", "--help"]],
    [["version", "--format", "yaml"]],
    [["version", "--format"]],
    [["version", "extra"]],
    [["-p", "x", "version"]],
    [["--version", "config"]],
    [["config"]],
  ])("leaves %j to the full program (help, errors, other commands)", (argv) => {
    expect(versionOnlyOutput(argv, {})).toBeUndefined();
  });

  it("leaves `version` to the full program when the environment sets a global option wrong", () => {
    expect(versionOnlyOutput(["version"], { COMPOSE_ANSI: "sometimes" })).toBeUndefined();
    expect(versionOnlyOutput(["version"], { COMPOSE_PARALLEL_LIMIT: "many" })).toBeUndefined();
    expect(versionOnlyOutput(["version"], { COMPOSE_ANSI: "never" })).toBe(
      versionOnlyOutput(["version"], {}),
    );
  });
});
