import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PLAIN_SCALARS, composeFiles, composeTexts, expectExactParse } from "./parse-corpus.test-helpers.js";
import type { FastParse } from "./parse-fast.js";
import { parseLines } from "./parse-lines.js";

/** Checks a parse against the exact parser: the same data, and every position it gives the same. */
function expectExact(text: string, parsed: FastParse, label: string): number {
  return expectExactParse(text, parsed.docs, parsed.offset, label);
}

/** Like bench/config.mjs's services: what a large compose file is mostly made of. */
function largeFile(n: number): string {
  const lines = ["version: '3.8'", "services:"];
  for (let i = 0; i < n; i++) {
    lines.push(`  web${i}:`, "    image: busybox:latest", "    environment:", `      REPLICA: "${i}"`);
    lines.push("      LOG_LEVEL: ${LOG_LEVEL:-info}", "    ports:", `      - "${20000 + i}:80"`);
    lines.push(`    command: ["httpd", "-f", "-p", "80"]`, "    healthcheck:", "      retries: 3");
    lines.push("      test: ['CMD', 'wget', '-q', 'http://localhost/'] # probe", "    volumes:");
    lines.push(
      `    - data${i}:/var/lib/data`,
      "    - type: bind",
      "      source: ./conf",
      "      read_only: true",
    );
    if (i > 0) lines.push("    depends_on:", `      web${i - 1}:`, "        condition: service_healthy");
  }
  lines.push("volumes:", "  data0: {}", "  data1:", "", "# the end");
  return `${lines.join("\n")}\n`;
}

describe("parseLines", () => {
  it("gives exactly the exact parser's data and positions for every compose file it takes", () => {
    let taken = 0;
    let located = 0;

    for (const { label, text } of composeTexts()) {
      const parsed = parseLines(text);
      if (!parsed) continue;
      taken++;
      located += expectExact(text, parsed, label);
    }
    // The plain block style is the common case: this tier must carry much of the corpus.
    expect(taken).toBeGreaterThan(composeFiles().length / 3);
    expect(located).toBeGreaterThan(10_000);
  });

  it("takes a large file in the block style and locates every key and value in it", () => {
    const text = largeFile(30);
    const parsed = parseLines(text);
    expect(parsed).toBeDefined();
    expect(expectExact(text, parsed!, "large file")).toBeGreaterThan(1000);
  });

  it("types scalars and reads quotes and escapes like the exact parser", () => {
    const values = [
      ...PLAIN_SCALARS,
      "a#b",
      "http://x:80/y?z=1#f",
      "'it''s'",
      '"tab\\tnew\\nline \\x41\\u00e9\\U0001F600 \\\\ \\" \\/"',
      "''",
      '""',
      "a b  c",
      "-1",
      "-x",
      "?x",
      ":x",
      "b[1]",
      "'#'",
      '"a" # c',
      "x # c",
      "[]",
      "[ ]",
      "{}",
      "{ }",
      "[1, '2', \"3\", a b, -x]",
    ];
    const text = values.map((v, i) => `k${i}: ${v}\n`).join("");
    const parsed = parseLines(text);
    expect(parsed).toBeDefined();
    expectExact(text, parsed!, "scalars");
  });

  it("reads sequences at the key's column, compact mappings in sequences, nulls and quoted keys", () => {
    const text = [
      "a:",
      "- x",
      "-",
      "- k: 1",
      "  l:",
      "  - 2",
      "  m:",
      "-   n: 3",
      "    o: [4]",
      "- z",
      "b:   # comment",
      "  c:",
      "    # inside",
      "    d: e",
      '"quoted key": 1',
      "'single key': 2",
      "__proto__: {}",
      "empty:",
      "",
    ].join("\n");
    const parsed = parseLines(text);
    expect(parsed).toBeDefined();
    expectExact(text, parsed!, "shapes");
  });

  const others: Record<string, string> = {
    tab: "a:\n\tb: 1\n",
    CRLF: "a: 1\r\nb: 2\r\n",
    BOM: "\uFEFFa: 1\n",
    directive: "%YAML 1.2\n---\na: 1\n",
    "document marker": "---\na: 1\n",
    "two documents": "a: 1\n---\nb: 2\n",
    anchor: "a: &x 1\nb: *x\n",
    merge: "a: {}\nb:\n  <<: {}\n",
    tag: "a: !reset\n",
    "explicit tag": "a: !!str 1\n",
    "literal block": "a: |\n  x\n",
    "folded block": "a: >\n  x\n",
    "multi-line plain": "a: x\n  y\n",
    "multi-line plain item": "a:\n- x\n  y\n",
    "multi-line quoted": 'a: "x\n  y"\n',
    "flow map": "a: {b: 1}\n",
    "nested flow": "a: [[1]]\n",
    "multi-line flow": "a: [1,\n  2]\n",
    "colon in flow": "a: [b: 1]\n",
    "trailing comma": "a: [1, ]\n",
    "duplicate key": "a: 1\na: 2\n",
    "integer key": "1: a\n",
    "null key": "~: a\n",
    "empty key": ": a\n",
    "mapping in a value": "a: b: c\n",
    "compact nested sequence": "a:\n- - b\n",
    "top-level sequence": "- a\n",
    "scalar document": "a\n",
    "empty text": "",
    "only comments": "# a\n",
    "misaligned key": "a:\n  b: 1\n c: 2\n",
    "deeper line after a value": "a: 1\n  b: 2\n",
    "key between two columns": "a:\n    b: 1\n  c: 2\n",
    "item between two columns": "a:\n    - 1\n  - 2\n",
    "comment glued to a quote": 'a: "x"#c\n',
    "unknown escape": 'a: "\\q"\n',
    "lone surrogate": 'a: "\\ud800"\n',
    "complex key": "? a\n: b\n",
    "sequence entry as value": "a: - b\n",
  };

  it.each(Object.entries(others))("leaves %s to the next tier", (_, text) => {
    expect(parseLines(text)).toBeUndefined();
  });

  it("either agrees with the exact parser or leaves the text, for generated block-style files", () => {
    // Scalars written as they come, quoted or not, with the characters where YAML's rules bite.
    const word = fc.oneof(
      { arbitrary: fc.stringMatching(/^[a-z0-9 ._/-]{0,8}$/), weight: 3 },
      { arbitrary: fc.stringMatching(/^[a-z0-9 :#\-'"?[\]{},.&*!|>%@`~\\]{0,8}$/), weight: 1 },
    );
    const scalar = fc.oneof(
      word,
      word.map((w) => `"${w.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`),
      word.map((w) => `'${w.replaceAll("'", "''")}'`),
      fc.array(word, { maxLength: 3 }).map((ws) => `[${ws.join(", ")}]`),
      fc.constantFrom("", "{}", "[]", "# note", "null", "1", "-2", "0x1f", "true"),
    );
    /** A mapping entry: a scalar written inline, a list of scalars, or a nested mapping. */
    type Entry = { k: string; v: string | { list: string[] } | { map: Entry[] } };
    const tree = fc.letrec<{ map: Entry[] }>((tie) => ({
      map: fc.array(
        fc.record({
          k: fc.oneof(word, fc.constantFrom("a", "b", "image", "ports")),
          v: fc.oneof(
            scalar,
            tie("map").map((map) => ({ map })),
            fc.array(scalar, { minLength: 1, maxLength: 3 }).map((list) => ({ list })),
          ),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    })).map;
    const write = (entries: Entry[], indent: number, out: string[], sameColumnLists: boolean) => {
      const pad = " ".repeat(indent);
      for (const { k, v } of entries) {
        if (typeof v === "string") out.push(`${pad}${k}: ${v}`.trimEnd());
        else if ("list" in v) {
          out.push(`${pad}${k}:`);
          const dash = sameColumnLists ? pad : `${pad}  `;
          for (const item of v.list) out.push(`${dash}- ${item}`.trimEnd());
        } else {
          out.push(`${pad}${k}:`);
          write(v.map, indent + 2, out, !sameColumnLists);
        }
      }
    };
    fc.assert(
      fc.property(tree, fc.boolean(), (t, sameColumnLists) => {
        const out: string[] = [];
        write(t, 0, out, sameColumnLists);
        const text = `${out.join("\n")}\n`;
        const parsed = parseLines(text);
        if (!parsed) return;
        expectExact(text, parsed, JSON.stringify(text));
      }),
      { seed: Number(process.env.SEED ?? 20261124), numRuns: Number(process.env.RUNS ?? 3000) },
    );
  });
});
