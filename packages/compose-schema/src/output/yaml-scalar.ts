import { goInteger } from "../scalars.js";

/**
 * How yaml.v3 writes one scalar: plain when libyaml's analysis allows it and the text would read back
 * as a string, otherwise single- or double-quoted.
 */

export function formatScalar(v: string | number | boolean | null, isKey: boolean): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return formatNumber(v);
  // Most strings are words, names and paths: plain unless they read as a bool or null.
  if (simplePlain.test(v)) return nonStringWords.has(v) || isOldBool(v) ? doubleQuoted(v) : v;
  if (v === "" || resolvesToNonString(v) || isOldBool(v) || isBase60Float(v)) return doubleQuoted(v);
  const a = analyze(v);
  if (a.blockPlainAllowed && !(isKey && a.multiline)) return v;
  return a.singleQuotedAllowed && !a.multiline ? `'${v.replaceAll("'", "''")}'` : doubleQuoted(v);
}

export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return ".nan";
  if (!Number.isFinite(n)) return n > 0 ? ".inf" : "-.inf";
  return String(n);
}

/**
 * Strings that start with a letter or `/` (absolute paths) and hold only characters libyaml never treats
 * specially there (a `:` or a space followed by something other than a space): analyze() would allow
 * them plain, and none reads back as another type unless it is one of the words checked with it.
 */
const simplePlain = /^[A-Za-z/](?:[A-Za-z0-9_./@=+,-]|:(?=[^ ])| (?=[^ #]))*$/;

const nonStringWords = new Set([
  "~",
  "null",
  "Null",
  "NULL",
  "true",
  "True",
  "TRUE",
  "false",
  "False",
  "FALSE",
  ".nan",
  ".NaN",
  ".NAN",
  ".inf",
  ".Inf",
  ".INF",
  "+.inf",
  "+.Inf",
  "+.INF",
  "-.inf",
  "-.Inf",
  "-.INF",
]);
const yamlFloat = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Whether yaml.v3 would read the plain text back as something other than a string. */
function resolvesToNonString(s: string): boolean {
  if (nonStringWords.has(s)) return true;
  const first = s[0] ?? "";
  if (first === ".") return yamlFloat.test(s);
  if (!/[-+0-9]/.test(first)) return false;
  if (isTimestamp(s)) return true;
  const plain = s.replaceAll("_", "");
  // A number out of int64, uint64 and float64's ranges reads back as the text it is.
  if (goInteger(plain) !== undefined) return true;
  return yamlFloat.test(plain) && Number.isFinite(Number(plain));
}

function isTimestamp(s: string): boolean {
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:([Tt]| +)(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d*)?(Z|[-+]\d{2}(:\d{2})?)?)?$/.exec(
      s,
    );
  if (!m) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

function isOldBool(s: string): boolean {
  return [
    "y",
    "Y",
    "yes",
    "Yes",
    "YES",
    "n",
    "N",
    "no",
    "No",
    "NO",
    "on",
    "On",
    "ON",
    "off",
    "Off",
    "OFF",
  ].includes(s);
}

function isBase60Float(s: string): boolean {
  return /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s);
}

interface Analysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

/** libyaml's yaml_emitter_analyze_scalar, for block context. */
export function analyze(s: string): Analysis {
  const chars = [...s];
  let blockIndicators = s.startsWith("---") || s.startsWith("...");
  let special = false;
  let lineBreaks = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;
  const blankz = (c: string | undefined) =>
    c === undefined || c === " " || c === "\t" || c === "\n" || c === "\r";
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    const followedByWhitespace = blankz(chars[i + 1]);
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(c)) blockIndicators = true;
      if ((c === "?" || c === ":") && followedByWhitespace) blockIndicators = true;
      if (c === "-" && followedByWhitespace) blockIndicators = true;
    } else {
      if (c === ":" && followedByWhitespace) blockIndicators = true;
      if (c === "#" && precededByWhitespace) blockIndicators = true;
    }
    if (!isPrintable(c)) special = true;
    const last = i === chars.length - 1;
    if (c === " ") {
      if (i === 0) leadingSpace = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (c === "\n" || c === "\r" || c === "\u0085" || c === "\u2028" || c === "\u2029") {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousBreak = true;
      previousSpace = false;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = blankz(c);
  }
  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  let blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false;
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
  }
  if (spaceBreak || special) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
    blockAllowed = false;
  }
  if (lineBreaks) blockPlainAllowed = false;
  if (blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

/** libyaml's notion of printable: no C0/C1 controls, and nothing outside the Basic Multilingual Plane. */
function isPrintable(c: string): boolean {
  const code = c.codePointAt(0) ?? 0;
  return (
    code === 0x0a ||
    (code >= 0x20 && code <= 0x7e) ||
    (code >= 0xa0 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff)
  );
}

const yamlEscapes: Record<string, string> = {
  "\0": "\\0",
  "\x07": "\\a",
  "\b": "\\b",
  "\t": "\\t",
  "\n": "\\n",
  "\v": "\\v",
  "\f": "\\f",
  "\r": "\\r",
  "\x1b": "\\e",
  '"': '\\"',
  "\\": "\\\\",
  "\u0085": "\\N",
  "\u00a0": "\\_",
  "\u2028": "\\L",
  "\u2029": "\\P",
};

function doubleQuoted(s: string): string {
  let out = '"';
  for (const c of s) {
    const esc = yamlEscapes[c];
    if (esc !== undefined) out += esc;
    else if (isPrintable(c) && c !== "\ufeff") out += c;
    else {
      const code = c.codePointAt(0) ?? 0;
      const hex = code.toString(16).toUpperCase();
      out +=
        code <= 0xff
          ? `\\x${hex.padStart(2, "0")}`
          : code <= 0xffff
            ? `\\u${hex.padStart(4, "0")}`
            : `\\U${hex.padStart(8, "0")}`;
    }
  }
  return `${out}"`;
}
