import { describe, expect, it } from "vitest";
import { splitShellWords } from "./shellwords.js";

describe("splitShellWords", () => {
  it.each([
    ["echo hello world", ["echo", "hello", "world"]],
    [`sh -c 'echo "x y"'`, ["sh", "-c", 'echo "x y"']],
    [`echo "a b" 'c d'`, ["echo", "a b", "c d"]],
    ["echo one\\ two", ["echo", "one two"]],
    [`echo "\\"q\\" \\n"`, ["echo", '"q" n']],
    [`echo '' ""`, ["echo", "", ""]],
    [`echo 'it''s'`, ["echo", "its"]],
    ["", []],
    ["  spaced   out  ", ["spaced", "out"]],
  ])("splits %j", (line, words) => {
    expect(splitShellWords(line)).toEqual(words);
  });

  it("stops at the first unquoted shell operator, as go-shellwords does", () => {
    expect(splitShellWords("echo a && echo b")).toEqual(["echo", "a"]);
    expect(splitShellWords("echo a;b | c")).toEqual(["echo", "a"]);
    expect(splitShellWords("echo 'a && b'")).toEqual(["echo", "a && b"]);
  });

  it.each([`echo "open`, "echo 'open", "echo trailing\\"])("rejects %j", (line) => {
    expect(splitShellWords(line)).toBeUndefined();
  });
});
