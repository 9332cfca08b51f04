import { describe, expect, it } from "vitest";
import {
  PLAIN_SCALARS,
  composeFiles,
  composeTexts,
  exactData,
  expectExactParse,
} from "./parse-corpus.test-helpers.js";
import { parseFast } from "./parse-fast.js";
import { MAX_ALIAS_COUNT } from "./parse-limits.js";

/** Texts where the two parsers could differ, each of which the fast path must leave to the exact one. */
const edgeCases: Record<string, string> = {
  "integer key": "services:\n  1: {image: a}\n",
  "boolean key": "true: 1\n",
  "null key": "~: 1\n",
  "empty key in flow": "{: 1}\n",
  "complex key": "? [a, b]\n: 1\n",
  "key through an alias": "x: &k 3\n*k : 1\n",
  "YAML 1.1 directive": "%YAML 1.1\n---\na: yes\n",
  "anchor inside itself": "a: &a [1, *a]\n",
  "anchor inside itself (map)": "a: &a {b: *a}\n",
  "explicit core tag": "a: !!int 0x1F\n",
  "merge of a scalar": "a:\n  <<: 1\n",
  "merge of a list with a scalar": "a:\n  <<: [{b: 1}, 2]\n",
  "duplicate key": "a: 1\na: 2\n",
  "unknown tag": "a: !foo 1\n",
  "top level a list": "- a\n",
  "empty document": "",
  "only a comment": "# nothing\n",
  "deep nesting": `${"[".repeat(300)}${"]".repeat(300)}\n`,
  "an alias to a node holding aliases": "a: &a [1]\nb: &b [*a]\nc: *b\n",
  // One more than the exact parser expands: it refuses the file, so the fast path must not take it.
  "too many aliases": `x: &x 1\nl: [${Array.from({ length: MAX_ALIAS_COUNT + 1 }, () => "*x").join(", ")}]\n`,
};

describe("parseFast", () => {
  it("gives exactly the exact parser's data for every compose file in the repository, or leaves it", () => {
    let fast = 0;
    let located = 0;
    for (const { label, text } of composeTexts()) {
      const fastParse = parseFast(text);
      if (fastParse === undefined) continue;
      fast++;
      // Every position the events give is the one the exact parser gives.
      located += expectExactParse(text, fastParse.docs, fastParse.offset, label);
    }
    // The fast path must carry the common case, or it is dead weight.
    expect(fast).toBeGreaterThan(composeFiles().length / 2);
    expect(located).toBeGreaterThan(10_000);
  });

  it.each(Object.entries(edgeCases))("leaves %s to the exact parser", (_, text) => {
    expect(parseFast(text)).toBeUndefined();
  });

  it("takes a file that merges one anchor into hundreds of services", () => {
    const services = Array.from(
      { length: 500 },
      (_, i) => `  s${i}:\n    image: busybox\n    <<: *defaults\n`,
    );
    const text = `x-defaults: &defaults\n  restart: always\nservices:\n${services.join("")}`;
    expect(parseFast(text)?.docs).toStrictEqual(exactData(text));
  });

  it("types plain scalars like the exact parser", () => {
    const text = PLAIN_SCALARS.map((v, i) => `k${i}: ${v}\n`).join("");
    expect(parseFast(text)?.docs).toStrictEqual(exactData(text));
  });

  it("keeps !reset and !override like the exact parser", () => {
    const text =
      "a: !reset\nb: !reset [1]\nc: !reset {x: 1}\nd: !override 3\ne: !override [1, 2]\nf: !override {x: 1}\ng: !override true\n";
    expect(parseFast(text)?.docs).toStrictEqual(exactData(text));
  });

  it("merges like the exact parser: written keys win, then earlier sources", () => {
    const text =
      "x: &x {a: 1, b: 1}\ny: &y {b: 2, c: 2}\nz:\n  c: 3\n  <<: [*x, *y]\n  a: 4\n__proto__: {polluted: true}\n";
    expect(parseFast(text)?.docs).toStrictEqual(exactData(text));
  });
});
