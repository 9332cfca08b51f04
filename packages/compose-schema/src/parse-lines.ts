import { setOwn } from "./own-key.js";
import type { FastParse } from "./parse-fast.js";
import { directiveLine, documentMarkerLine } from "./parse-limits.js";
import { resolvePlain } from "./scalars.js";
import type { DocPath } from "./source.js";

/**
 * The first tier of parsing: the block style that large compose files are written in — block mappings
 * and sequences, plain and quoted one-line scalars, one-line flow sequences of scalars, `{}` — read line
 * by line. Cold, it is several times faster than js-yaml, whose per-character work runs in V8's
 * interpreter. Anything else (anchors, aliases, tags, block scalars, multi-line scalars, flow maps,
 * several documents, tabs, CRLF, duplicate keys, anything malformed) makes it return undefined, and the
 * next tier (parse-fast.ts, then the exact parser) decides. It types plain scalars with the rules the
 * other parsers use (scalars.ts); parse-lines.test.ts checks its data and positions against the exact
 * parser on every compose file in the repository.
 */
export function parseLines(text: string): FastParse | undefined {
  if (otherCharacters.test(text) || directiveLine.test(text) || documentMarkerLine.test(text))
    return undefined;
  const lines = contentLines(text);
  if (lines.count === 0) return undefined;
  const parser = new LineParser(text, lines);
  const data = parser.document();
  // One document: `---` lines are left to the next tier.
  return data && { docs: [data], offset: (_doc, path, which) => parser.offset(path, which) };
}

/** Tabs, CRs and a BOM: for the next tier. */
const otherCharacters = /[\t\r\uFEFF]/;

interface Lines {
  count: number;
  /** Per content line (blank and comment-only lines are skipped): its start, end and indentation. */
  start: Int32Array;
  end: Int32Array;
  indent: Int32Array;
}

function contentLines(text: string): Lines {
  let capacity = 64;
  let start: Int32Array = new Int32Array(capacity);
  let end: Int32Array = new Int32Array(capacity);
  let indent: Int32Array = new Int32Array(capacity);
  let count = 0;
  for (let from = 0; from < text.length; ) {
    let to = text.indexOf("\n", from);
    if (to < 0) to = text.length;
    let i = from;
    while (i < to && text.charCodeAt(i) === 32) i++;
    if (i < to && text.charCodeAt(i) !== 35 /* # */) {
      if (count === capacity) {
        capacity *= 2;
        start = grow(start, capacity);
        end = grow(end, capacity);
        indent = grow(indent, capacity);
      }
      start[count] = from;
      end[count] = to;
      indent[count] = i - from;
      count++;
    }
    from = to + 1;
  }
  return { count, start, end, indent };
}

function grow(a: Int32Array, capacity: number): Int32Array {
  const b = new Int32Array(capacity);
  b.set(a);
  return b;
}

/** Where a node was written: a block collection from a line, a value on the rest of a line, or nothing. */
type Place =
  | { kind: "map"; line: number; col: number; first: number }
  | { kind: "seq"; line: number; col: number }
  | { kind: "inline"; at: number; end: number }
  | { kind: "empty" };

/** Thrown inside the parser when the text is not in its subset; never leaves parseLines. */
class NotInSubset {}
const notInSubset = new NotInSubset();

const SPACE = 32;
const DASH = 45;
const COLON = 58;
const HASH = 35;

class LineParser {
  constructor(
    private readonly text: string,
    private readonly lines: Lines,
  ) {}

  document(): Record<string, unknown> | undefined {
    try {
      const root = this.root();
      if (root.kind !== "map") return undefined;
      const [map, next] = this.mapping(root.line, root.col, root.first);
      return next === this.lines.count ? map : undefined;
    } catch (err) {
      if (err === notInSubset) return undefined;
      throw err;
    }
  }

  private root(): Place {
    return this.block(0);
  }

  /** Whether the content at `at` is a sequence entry: `-` then a space or the line's end. */
  private isDash(at: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    const next = this.text.charCodeAt(at + 1);
    return next === SPACE || next === 10 || Number.isNaN(next);
  }

  /** The block collection whose first line is `line`: a sequence or a mapping, by its first character. */
  private block(line: number): Place {
    const col = this.lines.indent[line]!;
    const at = this.lines.start[line]! + col;
    return this.isDash(at) ? { kind: "seq", line, col } : { kind: "map", line, col, first: at };
  }

  /**
   * Where the value of a mapping entry (`inMap`) or sequence item on line `line`, whose text starts at
   * `rest`, was written. A value written as nothing is on the lines below: deeper, or, for an entry, a
   * sequence at the key's own column `col`.
   */
  private valueAt(line: number, rest: number, col: number, inMap: boolean): Place {
    const { text, lines } = this;
    const end = lines.end[line]!;
    if (rest < end && text.charCodeAt(rest) !== HASH) {
      // `- key: value`: a mapping whose keys sit at the column of this first key.
      if (!inMap && this.startsEntry(rest, end))
        return { kind: "map", line, col: rest - lines.start[line]!, first: rest };
      return { kind: "inline", at: rest, end };
    }
    const next = line + 1;
    if (next < lines.count && lines.indent[next]! > col) return this.block(next);
    if (inMap && next < lines.count && lines.indent[next] === col && this.isDash(lines.start[next]! + col))
      return { kind: "seq", line: next, col };
    return { kind: "empty" };
  }

  /**
   * The value at `place` (of an entry or item on line `line`, under column `col`) and the line after it.
   * A line deeper than `col` that the value did not take (a misaligned key, a multi-line scalar) is for
   * the next tier.
   */
  private value(place: Place, line: number, col: number): [unknown, number] {
    let value: unknown;
    let next = line + 1;
    if (place.kind === "map") [value, next] = this.mapping(place.line, place.col, place.first);
    else if (place.kind === "seq") [value, next] = this.sequence(place.line, place.col);
    else value = place.kind === "inline" ? this.inline(place.at, place.end) : null;
    if (next < this.lines.count && this.lines.indent[next]! > col) throw notInSubset;
    return [value, next];
  }

  /**
   * The line after the value at `place` (on line `line`, under column `col`), without reading it: the
   * lines deeper than `col`, and for a sequence at `col` itself its dashes.
   */
  private skip(place: Place, line: number, col: number): number {
    if (place.kind === "inline" || place.kind === "empty") return line + 1;
    const dashes = place.kind === "seq" && place.col === col;
    const { lines } = this;
    let i = line + 1;
    while (
      i < lines.count &&
      (lines.indent[i]! > col || (dashes && lines.indent[i] === col && this.isDash(lines.start[i]! + col)))
    )
      i++;
    return i;
  }

  /** A block mapping whose keys sit at column `col`; its first key starts at `first` on line `line`. */
  private mapping(line: number, col: number, first: number): [Record<string, unknown>, number] {
    const { text, lines } = this;
    const map: Record<string, unknown> = {};
    let at = first;
    let i = line;
    for (;;) {
      const [key, afterKey] = this.key(at, lines.end[i]!);
      if (key === "<<" || Object.hasOwn(map, key)) throw notInSubset;
      const place = this.valueAt(i, skipSpaces(text, afterKey, lines.end[i]!), col, true);
      const [value, next] = this.value(place, i, col);
      setOwn(map, key, value);
      i = next;
      if (i >= lines.count || lines.indent[i]! < col) break;
      at = lines.start[i]! + col;
      if (this.isDash(at)) throw notInSubset;
    }
    return [map, i];
  }

  /** A block sequence whose dashes sit at column `col`, from line `line`. */
  private sequence(line: number, col: number): [unknown[], number] {
    const { text, lines } = this;
    const items: unknown[] = [];
    let i = line;
    for (;;) {
      const rest = skipSpaces(text, lines.start[i]! + col + 1, lines.end[i]!);
      if (this.isDash(rest)) throw notInSubset;
      const [item, next] = this.value(this.valueAt(i, rest, col, false), i, col);
      items.push(item);
      i = next;
      // value() leaves no deeper line: the next is a dash at `col`, or the sequence has ended.
      if (i >= lines.count || lines.indent[i]! < col || !this.isDash(lines.start[i]! + col)) break;
    }
    return [items, i];
  }

  /**
   * Where the key or value at `path` was written. The text parsed, so its shape is known good: this
   * walks the lines along the path only, skipping the values it passes.
   */
  offset(path: DocPath, which: "key" | "value"): number | undefined {
    let place = this.root();
    let keyAt: number | undefined;
    for (const seg of path) {
      const found = this.child(place, seg);
      if (!found) return undefined;
      [keyAt, place] = found;
    }
    if (which === "key" && keyAt !== undefined) return keyAt;
    switch (place.kind) {
      case "map":
        return place.first;
      case "seq":
        return this.lines.start[place.line]! + place.col;
      case "inline":
        return place.at;
      case "empty":
        return undefined;
    }
  }

  private child(place: Place, seg: string | number): [number | undefined, Place] | undefined {
    const { text, lines } = this;
    if (place.kind === "map" && typeof seg === "string") {
      let at = place.first;
      for (let i = place.line; ; ) {
        const [key, afterKey] = this.key(at, lines.end[i]!);
        const value = this.valueAt(i, skipSpaces(text, afterKey, lines.end[i]!), place.col, true);
        if (key === seg) return [at, value];
        i = this.skip(value, i, place.col);
        if (i >= lines.count || lines.indent[i] !== place.col) return undefined;
        at = lines.start[i]! + place.col;
      }
    }
    if (place.kind === "seq" && typeof seg === "number") {
      for (let i = place.line, n = 0; ; n++) {
        const rest = skipSpaces(text, lines.start[i]! + place.col + 1, lines.end[i]!);
        const value = this.valueAt(i, rest, place.col, false);
        if (n === seg) return [undefined, value];
        i = this.skip(value, i, place.col);
        if (i >= lines.count || lines.indent[i] !== place.col) return undefined;
      }
    }
    if (place.kind === "inline" && typeof seg === "number" && text.charCodeAt(place.at) === 91 /* [ */) {
      const starts: number[] = [];
      this.flowSequence(place.at, place.end, starts);
      const at = starts[seg];
      return at === undefined ? undefined : [undefined, { kind: "inline", at, end: place.end }];
    }
    return undefined;
  }

  /** Whether the text from `at` is a mapping entry (`key:` then a space or the end), not a scalar. */
  private startsEntry(at: number, end: number): boolean {
    const c = this.text.charCodeAt(at);
    if (c === 34 || c === 39) {
      const close = c === 34 ? doubleQuoteEnd(this.text, at, end) : singleQuoteEnd(this.text, at, end);
      return close > 0 && this.text.charCodeAt(close) === COLON && isBreak(this.text, close + 1, end);
    }
    return keyColon(this.text, at, end) >= 0;
  }

  /** A key at `at`, and the offset after its `:`. */
  private key(at: number, end: number): [string, number] {
    const { text } = this;
    const c = text.charCodeAt(at);
    if (c === 34 || c === 39) {
      const close = c === 34 ? doubleQuoteEnd(text, at, end) : singleQuoteEnd(text, at, end);
      if (close < 0 || text.charCodeAt(close) !== COLON || !isBreak(text, close + 1, end)) throw notInSubset;
      return [
        c === 34 ? unescapeDouble(text, at + 1, close - 1) : unescapeSingle(text, at + 1, close - 1),
        close + 1,
      ];
    }
    const colon = keyColon(text, at, end);
    if (colon < 0 || indicator.has(c) || ((c === 63 || c === COLON) && isBreak(text, at + 1, end)))
      throw notInSubset;
    const key = text.slice(at, colon).trimEnd();
    if (key.includes("#")) throw notInSubset;
    // A plain key that the schema would type (`1:`, `true:`, `~:`) is not a string: the next tier says.
    if (typeof resolvePlain(key) !== "string") throw notInSubset;
    return [key, colon + 1];
  }

  /** A value on the rest of a line: a quoted or plain scalar, `[...]` of scalars, or `{}`. */
  private inline(at: number, end: number): unknown {
    const { text } = this;
    const c = text.charCodeAt(at);
    if (c === 34 || c === 39) {
      const close = c === 34 ? doubleQuoteEnd(text, at, end) : singleQuoteEnd(text, at, end);
      if (close < 0) throw notInSubset;
      expectLineEnd(text, close, end);
      return c === 34 ? unescapeDouble(text, at + 1, close - 1) : unescapeSingle(text, at + 1, close - 1);
    }
    if (c === 91 /* [ */) return this.flowSequence(at, end);
    if (c === 123 /* { */) {
      const close = skipSpaces(text, at + 1, end);
      if (text.charCodeAt(close) !== 125 /* } */) throw notInSubset;
      expectLineEnd(text, close + 1, end);
      return {};
    }
    if (indicator.has(c) || ((c === DASH || c === 63 || c === COLON) && isBreak(text, at + 1, end)))
      throw notInSubset;
    const source = text.slice(at, plainEnd(text, at, end));
    // `a: b: c` and the like are errors, or mappings this tier does not read.
    if (source.includes(": ") || source.endsWith(":")) throw notInSubset;
    return resolvePlain(source);
  }

  /** `[a, "b", 'c']` on one line: scalars only. `starts` receives where each item was written. */
  private flowSequence(at: number, end: number, starts?: number[]): unknown[] {
    const { text } = this;
    const items: unknown[] = [];
    let i = skipSpaces(text, at + 1, end);
    if (text.charCodeAt(i) === 93 /* ] */) {
      expectLineEnd(text, i + 1, end);
      return items;
    }
    for (;;) {
      const c = text.charCodeAt(i);
      starts?.push(i);
      let after: number;
      if (c === 34 || c === 39) {
        const close = c === 34 ? doubleQuoteEnd(text, i, end) : singleQuoteEnd(text, i, end);
        if (close < 0) throw notInSubset;
        items.push(
          c === 34 ? unescapeDouble(text, i + 1, close - 1) : unescapeSingle(text, i + 1, close - 1),
        );
        after = skipSpaces(text, close, end);
      } else {
        let stop = i;
        while (stop < end && !flowStop.has(text.charCodeAt(stop))) stop++;
        const source = text.slice(i, stop).trimEnd();
        const bare = (c === DASH || c === 63 || c === COLON) && (source.length === 1 || source[1] === " ");
        if (source === "" || bare || indicator.has(c) || source.includes("#")) throw notInSubset;
        items.push(resolvePlain(source));
        after = stop;
      }
      const sep = text.charCodeAt(after);
      if (sep === 93 /* ] */) {
        expectLineEnd(text, after + 1, end);
        return items;
      }
      if (sep !== 44 /* , */) throw notInSubset;
      i = skipSpaces(text, after + 1, end);
    }
  }
}

/** Characters that may not start a plain scalar or key here (or that start what this tier leaves). */
const indicator = new Set([..."[]{},#&*!|>'\"%@`"].map((c) => c.charCodeAt(0)));
/** What ends a plain scalar in a flow sequence: this tier takes no `:` or nested collection there. */
const flowStop = new Set([..."[]{},:"].map((c) => c.charCodeAt(0)));

function skipSpaces(text: string, i: number, end: number): number {
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  return i;
}

/** Whether `i` is the line's end or a space. */
function isBreak(text: string, i: number, end: number): boolean {
  return i >= end || text.charCodeAt(i) === SPACE;
}

/** After a value: only spaces, then a comment that follows a space, or the line's end. */
function expectLineEnd(text: string, i: number, end: number): void {
  const j = skipSpaces(text, i, end);
  if (j < end && !(j > i && text.charCodeAt(j) === HASH)) throw notInSubset;
}

/** The end of a plain scalar from `at`: before ` #` or trailing spaces. */
function plainEnd(text: string, at: number, end: number): number {
  // Searched in the line only: a search of the whole text per line would be quadratic.
  const comment = text.slice(at, end).indexOf(" #");
  let stop = comment < 0 ? end : at + comment;
  while (stop > at && text.charCodeAt(stop - 1) === SPACE) stop--;
  return stop;
}

/** The `:` that ends a plain key starting at `at` (followed by a space or the end), or -1. */
function keyColon(text: string, at: number, end: number): number {
  const stop = plainEnd(text, at, end);
  const part = text.slice(at, stop);
  for (let i = part.indexOf(":"); i >= 0; i = part.indexOf(":", i + 1)) {
    if (i + 1 >= part.length || part.charCodeAt(i + 1) === SPACE) return at + i;
  }
  return -1;
}

/** The offset after the closing quote of a double-quoted scalar at `at`, or -1 if not on this line. */
function doubleQuoteEnd(text: string, at: number, end: number): number {
  for (let i = at + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === 34) return i + 1;
  }
  return -1;
}

function singleQuoteEnd(text: string, at: number, end: number): number {
  for (let i = at + 1; i < end; i++) {
    if (text.charCodeAt(i) !== 39) continue;
    if (text.charCodeAt(i + 1) === 39 && i + 1 < end) i++;
    else return i + 1;
  }
  return -1;
}

function unescapeSingle(text: string, from: number, to: number): string {
  const s = text.slice(from, to);
  return s.includes("'") ? s.replaceAll("''", "'") : s;
}

const simpleEscapes: Record<string, string> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  t: "\t",
  n: "\n",
  v: "\v",
  f: "\f",
  r: "\r",
  e: "\x1b",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
  N: "\x85",
  _: "\xa0",
  L: "\u2028",
  P: "\u2029",
};
const hexLength: Record<string, number> = { x: 2, u: 4, U: 8 };

function unescapeDouble(text: string, from: number, to: number): string {
  // Searched in the scalar only: a search of the whole text per scalar would be quadratic.
  const s = text.slice(from, to);
  let i = s.indexOf("\\");
  if (i < 0) return s;
  let out = "";
  let last = 0;
  for (; i >= 0; i = s.indexOf("\\", last)) {
    out += s.slice(last, i);
    const e = s[i + 1] as string;
    const simple = simpleEscapes[e];
    if (simple !== undefined) {
      out += simple;
      last = i + 2;
      continue;
    }
    const n = hexLength[e];
    const hex = n === undefined ? "" : s.slice(i + 2, i + 2 + n);
    if (n === undefined || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) throw notInSubset;
    const code = Number.parseInt(hex, 16);
    // Surrogates and out-of-range code points: the next tier decides what they mean.
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw notInSubset;
    out += String.fromCodePoint(code);
    last = i + 2 + n;
  }
  return out + s.slice(last);
}
