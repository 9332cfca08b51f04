import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { expect } from "vitest";
import { parseExact } from "./parse.js";
import type { DocPath } from "./source.js";

/** What the tests of the fast parsing tiers compare them with: the exact parser, on every compose file. */

export const root = new URL("../../..", import.meta.url).pathname;

/** Every compose file the repository holds: valid and invalid fixtures, the hostile corpus, examples. */
export function composeFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === "node_modules") continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) out.push(p);
    }
  };
  for (const dir of ["packages/compose-schema/fixtures", "test/hostile/cases", "examples"])
    walk(join(root, dir));
  return out.sort();
}

/** Each repository compose file that is UTF-8 (others are refused before any parser runs), and its text. */
export function composeTexts(): { label: string; text: string }[] {
  const out: { label: string; text: string }[] = [];
  for (const file of composeFiles()) {
    try {
      const text = new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(file));
      out.push({ label: relative(root, file), text });
    } catch {
      // Not UTF-8.
    }
  }
  return out;
}

/**
 * Checks what a fast tier made of `text` against the exact parser: the same documents, and every
 * position the tier gives (`offset`, undefined where it leaves one to the exact parser) the same.
 * Returns how many positions the tier gave.
 */
export function expectExactParse(
  text: string,
  docs: unknown[],
  offset: (doc: number, path: DocPath, which: "key" | "value") => number | undefined,
  label: string,
): number {
  const exact = exactData(text);
  expect(exact, label).not.toBeInstanceOf(Error);
  expect(docs, label).toStrictEqual(exact);
  const exactFiles = parseExact("compose.yaml", text);
  let located = 0;
  docs.forEach((doc, i) => {
    for (const path of paths(doc)) {
      for (const which of ["key", "value"] as const) {
        const at = offset(i, path, which);
        if (at === undefined) continue;
        located++;
        expect(locationAt(text, at), `${label} ${path.join(".")} ${which}`).toEqual(
          exactFiles[i]!.locate(path, which),
        );
      }
    }
  });
  return located;
}

/** Every path into the data, plus one that does not exist under each mapping. */
export function paths(data: unknown, prefix: DocPath = []): DocPath[] {
  const out: DocPath[] = [prefix];
  if (Array.isArray(data)) data.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (data !== null && typeof data === "object" && data.constructor === Object) {
    out.push([...prefix, "no-such-key"]);
    for (const [k, v] of Object.entries(data)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

export function exactData(text: string): unknown[] | Error {
  try {
    return parseExact("compose.yaml", text).map((f) => f.data);
  } catch (err) {
    return err as Error;
  }
}

/** The file, line and column (from 1) of `offset` in `text`, as the exact parser's locate gives them. */
export function locationAt(text: string, offset: number): { file: string; line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { file: "compose.yaml", line: before.split("\n").length, column: offset - lineStart + 1 };
}

/** Plain scalars where the typing rules differ between YAML versions and parsers. */
export const PLAIN_SCALARS = [
  "0755",
  "0b101",
  "0o17",
  "0x1F",
  "1_000",
  "-0",
  "+12",
  "1.5",
  "1e3",
  ".inf",
  "-.Inf",
  ".nan",
  "true",
  "False",
  "TRUE",
  "yes",
  "on",
  "null",
  "Null",
  "~",
  "",
  "12:30",
  "1.2.3",
  "0x",
  "08",
  // Numbers a JavaScript number cannot stand for, and forms go-yaml reads in its own way.
  "9223372036854775807",
  "-9223372036854775808",
  "18446744073709551615",
  "18446744073709551616",
  "07777777777777777777777",
  "0X1F",
  "0B11",
  "0O17",
  "0x1FFFFFFFFFFFFFFFF",
  "1.5e10",
  "1000000.0",
  "-0.0",
  "2e308",
  "1_000.5",
  ".5_",
];
