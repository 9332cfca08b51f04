import { describe, expect, it } from "vitest";
import { parseDotEnv } from "./dotenv.js";
import { ComposeError, ErrorCodes } from "./errors.js";

const FILE = "/p/.env";

function failure(content: string, lookup?: (name: string) => string | undefined): ComposeError {
  try {
    parseDotEnv(content, FILE, lookup);
  } catch (err) {
    expect(err).toBeInstanceOf(ComposeError);
    return err as ComposeError;
  }
  throw new Error("expected the env file to be rejected");
}

describe("parseDotEnv", () => {
  it("reads the forms compose accepts", () => {
    const content = [
      "# a comment",
      "",
      "A=1 # trailing comment",
      'B="two\\nlines\\t\\"q\\" \\$X \\0101 \\q \\\\"',
      "export C='single $A \\n'",
      "D=${A}-$B-${U:-def}",
      "E: yaml",
      'F="multi',
      'line"',
      "G=a#b",
      "H",
      "I=${P}",
      'J=" sp "',
      "K=",
      "L=  padded  ",
      "M=x=y",
      "  N = spaced",
      "P2='a \\' b'",
      "Q.dotted-name[0]=ok",
    ].join("\n");
    const env = parseDotEnv(content, FILE, (name) => ({ H: "inherited", P: "looked-up" })[name]);
    expect(env).toEqual({
      A: "1",
      B: 'two\nlines\t"q" $X A \\q \\',
      C: "single $A \\n",
      D: '1-two\nlines\t"q" $X A \\q \\-def',
      E: "yaml",
      F: "multi\nline",
      G: "a#b",
      H: "inherited",
      I: "looked-up",
      J: " sp ",
      K: "",
      L: "padded",
      M: "x=y",
      N: "spaced",
      P2: "a \\' b",
      "Q.dotted-name[0]": "ok",
    });
  });

  it("leaves a lone key unset when the lookup does not know it", () => {
    expect(parseDotEnv("A\nexport B\nC=3", FILE)).toEqual({ C: "3" });
  });

  it("expands from the lookup first, then from earlier keys", () => {
    const env = parseDotEnv("A=file\nB=$A\nC=${D:-none}\nD=late", FILE, (n) =>
      n === "A" ? "process" : undefined,
    );
    expect(env).toEqual({ A: "file", B: "process", C: "none", D: "late" });
    expect(parseDotEnv("A=file\nB=$A", FILE)).toEqual({ A: "file", B: "file" });
  });

  it("handles CRLF line endings, a byte order mark and unicode", () => {
    expect(parseDotEnv('\uFEFFA=1\r\nB="x"\r\nNAMÉ=héllo ✓\r\n', FILE)).toEqual({
      A: "1",
      B: "x",
      NAMÉ: "héllo ✓",
    });
  });

  it("reports syntax errors with the file and line", () => {
    const space = failure("A=1\nB C=2\n");
    expect(space.code).toBe(ErrorCodes.envFile);
    expect(space.location).toEqual({ file: FILE, line: 2, column: 1 });
    expect(space.message).toMatch(/cannot contain a space/);

    const quote = failure('A=1\n\nB="abc\nmore\n');
    expect(quote.location?.line).toBe(3);
    expect(quote.message).toMatch(/unterminated quoted value for B/);

    expect(failure("A=1\nB!=2").message).toMatch(/unexpected character "!" in variable name "B!"/);
    expect(failure("=value").message).toMatch(/missing variable name/);
    expect(failure('A="x" junk').message).toMatch(/unexpected text after the quoted value of A/);
  });

  it("counts lines across multi-line values", () => {
    expect(failure('A="x\ny"\nB C=1').location?.line).toBe(3);
  });

  it("reports bad interpolation and missing required variables at their line", () => {
    const syntax = failure("A=1\nB=${A\n");
    expect(syntax.code).toBe(ErrorCodes.envFile);
    expect(syntax.location?.line).toBe(2);
    expect(syntax.message).toMatch(/invalid interpolation format/);

    const required = failure("A=1\n\nB=${U:?nope}\n");
    expect(required.location?.line).toBe(3);
    expect(required.message).toBe("/p/.env:3:1: required variable U is missing a value: nope");
  });
});
