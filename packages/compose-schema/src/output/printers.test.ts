import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toJson } from "./json.js";
import { type Node, scalar, yamlKeyLess } from "./tree.js";
import { formatScalar } from "./yaml-scalar.js";
import { toYaml } from "./yaml.js";

describe("formatScalar (yaml.v3's choice of style)", () => {
  it.each([
    ["plain", "plain"],
    ["", '""'],
    ["1", '"1"'],
    ["1.5", '"1.5"'],
    ["0x1F", '"0x1F"'],
    ["1e3", '"1e3"'],
    [".5", '".5"'],
    ["true", '"true"'],
    ["yes", '"yes"'],
    ["N", '"N"'],
    ["null", '"null"'],
    ["~", '"~"'],
    ["12:30", '"12:30"'],
    ["2023-01-02", '"2023-01-02"'],
    ["6000-6001", "6000-6001"],
    ["1.2.3.4", "1.2.3.4"],
    ["- x", "'- x'"],
    ["-x", "-x"],
    ["x: y", "'x: y'"],
    ["x:y", "x:y"],
    [":x", ":x"],
    ["x #y", "'x #y'"],
    ["x#y", "x#y"],
    ["@foo", "'@foo'"],
    ["*", "'*'"],
    ["[x", "'[x'"],
    ["x,y", "x,y"],
    ["? x", "'? x'"],
    [" lead", "' lead'"],
    ["trail ", "'trail '"],
    ["a'b", "a'b"],
    ["'q'", "'''q'''"],
    ['a"b\\c', 'a"b\\c'],
    ["a\tb", '"a\\tb"'],
    ["\u0085x", '"\\Nx"'],
    ["é ✓", "é ✓"],
    ["🚀", '"\\U0001F680"'],
    ["<<", "<<"],
  ])("%j prints as %s", (value, printed) => {
    expect(formatScalar(value, false)).toBe(printed);
  });

  it("prints numbers, booleans and null plainly", () => {
    expect([
      formatScalar(42, false),
      formatScalar(0.5, false),
      formatScalar(true, false),
      formatScalar(null, false),
    ]).toEqual(["42", "0.5", "true", "null"]);
  });
});

describe("yamlKeyLess", () => {
  it("orders keys as yaml.v3 does: digit runs as numbers, letters after punctuation", () => {
    const keys = ["AB", "A10", "A_B", "A2", "a1", "Var_Mixed", "VAR_A", "VARA"];
    const sorted = [...keys].sort((a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0));
    expect(sorted).toEqual(["A_B", "A2", "A10", "AB", "VAR_A", "VARA", "Var_Mixed", "a1"]);
  });

  it("puts exactly one of two distinct keys first, so the printer's sort needs one call per pair", () => {
    const key = fc.stringMatching(/^[a-zA-Z0-9_.0-]{0,6}$/);
    fc.assert(
      fc.property(key, key, (a, b) => {
        if (a !== b) expect(yamlKeyLess(a, b)).toBe(!yamlKeyLess(b, a));
      }),
      { seed: 20261124, numRuns: 5000 },
    );
  });
});

describe("toYaml", () => {
  const map = (entries: [string, Node][], sorted = false): Node => ({ kind: "map", entries, sorted });
  const seq = (items: Node[]): Node => ({ kind: "seq", items });

  it("indents nested maps and sequences by two, items of sequences under their key", () => {
    const doc = map([
      ["a", map([["b", scalar(1)]])],
      [
        "list",
        seq([
          scalar("x"),
          map([
            ["k", scalar("v")],
            ["l", seq([scalar(1)])],
          ]),
        ]),
      ],
      ["empty", map([])],
      ["none", seq([])],
    ]);
    expect(toYaml(doc)).toBe("a:\n  b: 1\nlist:\n  - x\n  - k: v\n    l:\n      - 1\nempty: {}\nnone: []\n");
  });

  it("prints multi-line strings as literal blocks with the right chomping", () => {
    const doc = map([
      ["clip", scalar("a\nb\n")],
      ["strip", scalar("a\nb")],
      ["keep", scalar("a\n\n")],
      ["indented", scalar("  a\nb")],
      ["trailing", scalar("a \nb")],
    ]);
    expect(toYaml(doc)).toBe(
      'clip: |\n  a\n  b\nstrip: |-\n  a\n  b\nkeep: |+\n  a\n\nindented: |2-\n    a\n  b\ntrailing: "a \\nb"\n',
    );
  });

  it("sorts maps marked as sorted", () => {
    expect(
      toYaml(
        map(
          [
            ["b", scalar(1)],
            ["a", scalar(2)],
          ],
          true,
        ),
      ),
    ).toBe("a: 2\nb: 1\n");
  });
});

describe("toJson", () => {
  it("writes compact JSON with Go's HTML escapes and byte-order map keys", () => {
    const doc: Node = {
      kind: "map",
      entries: [
        ["b", scalar("<&>")],
        ["a", scalar(null)],
        ["B", scalar(1)],
      ],
      sorted: true,
    };
    expect(toJson(doc)).toBe('{"B":1,"a":null,"b":"\\u003c\\u0026\\u003e"}');
  });
});
