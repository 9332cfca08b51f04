import { describe, expect, it } from "vitest";
import { parseExact } from "./parse.js";
import { ExactNumber, goFloatText, goInteger, resolvePlain } from "./scalars.js";

describe("resolvePlain: numbers with go-yaml's values", () => {
  it.each([
    ["9007199254740991", 9007199254740991],
    ["9223372036854775807", new ExactNumber(2 ** 63, "9223372036854775807")],
    ["-9223372036854775808", new ExactNumber(-(2 ** 63), "-9223372036854775808")],
    ["18446744073709551615", new ExactNumber(2 ** 64, "18446744073709551615")],
    // Beyond uint64, decimal digits are a float; `0x`/`0o`/`0b` forms stay text.
    ["18446744073709551616", new ExactNumber(2 ** 64, "1.8446744073709552e+19")],
    ["0x1FFFFFFFFFFFFFFFF", "0x1FFFFFFFFFFFFFFFF"],
    ["0X1F", 31],
    ["0O17", 15],
    ["0B11", 3],
    ["0755", 493],
    ["089", 89],
    ["1e3", 1000],
    ["1.5e10", new ExactNumber(15000000000, "1.5e+10")],
    ["-0.0", new ExactNumber(-0, "-0")],
    ["1_000.5", 1000.5],
    // A float out of float64's range is text, as go-yaml leaves it; `.5_` is not a number there.
    ["2e308", "2e308"],
    [".5_", ".5_"],
  ])("%s", (source, value) => {
    expect(resolvePlain(source)).toStrictEqual(value);
  });

  it("the exact parser types them the same way", () => {
    const data = parseExact("f.yaml", "a: 9223372036854775807\nb: 1.5e10\nc: 2e308\n")[0]!.data;
    expect(data).toStrictEqual({
      a: new ExactNumber(2 ** 63, "9223372036854775807"),
      b: new ExactNumber(15000000000, "1.5e+10"),
      c: "2e308",
    });
  });
});

describe("goFloatText: Go's fmt.Sprint of a float64", () => {
  it.each([
    [0, "0"],
    [-0, "-0"],
    [1000, "1000"],
    [999999, "999999"],
    [1000000, "1e+06"],
    [1234567, "1.234567e+06"],
    [100000.5, "100000.5"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1.2345e-5, "1.2345e-05"],
    [-1.5e10, "-1.5e+10"],
    [Math.PI, "3.141592653589793"],
    [Number.MAX_VALUE, "1.7976931348623157e+308"],
    [5e-324, "5e-324"],
  ])("%s", (value, text) => {
    expect(goFloatText(value)).toBe(text);
  });
});

describe("goInteger: strconv.ParseInt, then ParseUint, with base 0", () => {
  it.each([
    ["0", 0n],
    ["-0", 0n],
    ["0777", 511n],
    ["0o777", 511n],
    ["0xff", 255n],
    ["-0b11", -3n],
    ["+12", 12n],
    ["18446744073709551615", 18446744073709551615n],
    ["18446744073709551616", undefined],
    ["-9223372036854775809", undefined],
    ["089", undefined],
    ["0x", undefined],
    ["1.5", undefined],
  ])("%s", (plain, value) => {
    expect(goInteger(plain)).toBe(value);
  });
});
