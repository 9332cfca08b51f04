/**
 * A small document tree and two printers that reproduce the bytes docker compose v2.23 prints:
 * gopkg.in/yaml.v3 (indent 2) and Go's encoding/json (compact).
 */

export type Node =
  | { kind: "map"; entries: [string, Node][]; sorted: boolean }
  | { kind: "seq"; items: Node[] }
  | { kind: "scalar"; value: string | number | boolean | null };

export const scalar = (value: string | number | boolean | null): Node => ({ kind: "scalar", value });

/** yaml.v3's order of map keys: runs of digits compare as numbers, letters after other characters. */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i] as string;
    const bc = br[i] as string;
    if (ac === bc) {
      digits = isDigit(ac);
      continue;
    }
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return ac < bc;
    if (al || bl) return digits ? al : bl;
    let an = 0;
    let bn = 0;
    if (ac === "0" || bc === "0") {
      for (let j = i - 1; j >= 0 && isDigit(ar[j] as string); j--) {
        if (ar[j] !== "0") {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai] as string); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi] as string); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ac < bc;
  }
  return ar.length < br.length;
}

const isDigit = (c: string) => /\p{Nd}/u.test(c);
const isLetter = (c: string) => /\p{L}/u.test(c);

/** The entries of a map in yaml.v3's key order. */
export function sortedEntries(node: Extract<Node, { kind: "map" }>): [string, Node][] {
  return orderedEntries({ ...node, sorted: true }, "yaml");
}

function orderedEntries(node: Extract<Node, { kind: "map" }>, order: "yaml" | "json"): [string, Node][] {
  if (!node.sorted) return node.entries;
  const cmp =
    order === "yaml"
      ? (a: [string, Node], b: [string, Node]) =>
          yamlKeyLess(a[0], b[0]) ? -1 : yamlKeyLess(b[0], a[0]) ? 1 : 0
      : (a: [string, Node], b: [string, Node]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return [...node.entries].sort(cmp);
}

// ---- YAML ----

export function toYaml(root: Node): string {
  if (root.kind !== "map" || root.entries.length === 0) return `${inlineValue(root, 0).trimStart()}\n`;
  return mapLines(root, 0).join("\n") + "\n";
}

function mapLines(node: Extract<Node, { kind: "map" }>, indent: number): string[] {
  const pad = " ".repeat(indent);
  const lines: string[] = [];
  for (const [key, value] of orderedEntries(node, "yaml")) {
    lines.push(`${pad}${formatScalar(key, true)}:${inlineValue(value, indent)}`);
  }
  return lines;
}

function seqLines(node: Extract<Node, { kind: "seq" }>, indent: number): string[] {
  const pad = " ".repeat(indent);
  const lines: string[] = [];
  for (const item of node.items) {
    if (item.kind === "map" && item.entries.length > 0) {
      const inner = mapLines(item, indent + 2);
      lines.push(`${pad}- ${(inner[0] ?? "").slice(indent + 2)}`, ...inner.slice(1));
    } else if (item.kind === "seq" && item.items.length > 0) {
      const inner = seqLines(item, indent + 2);
      lines.push(`${pad}- ${(inner[0] ?? "").slice(indent + 2)}`, ...inner.slice(1));
    } else {
      lines.push(`${pad}-${inlineValue(item, indent)}`);
    }
  }
  return lines;
}

/** What follows `key:` or `-`: " scalar", " {}", or a nested block on the next lines. */
function inlineValue(node: Node, indent: number): string {
  if (node.kind === "map")
    return node.entries.length === 0 ? " {}" : `\n${mapLines(node, indent + 2).join("\n")}`;
  if (node.kind === "seq")
    return node.items.length === 0 ? " []" : `\n${seqLines(node, indent + 2).join("\n")}`;
  const v = node.value;
  if (typeof v === "string" && v.includes("\n")) {
    const block = literalBlock(v, indent + 2);
    if (block !== undefined) return ` ${block}`;
  }
  return ` ${formatScalar(v, false)}`;
}

/** yaml.v3 prints multi-line strings as literal blocks (`|`, `|-`, `|+`) when the text allows it. */
function literalBlock(s: string, indent: number): string | undefined {
  const a = analyze(s);
  if (!a.blockAllowed) return undefined;
  const pad = " ".repeat(indent);
  const hint = s.startsWith(" ") || s.startsWith("\n") ? "2" : "";
  const chomp = !s.endsWith("\n") ? "-" : s.endsWith("\n\n") || s === "\n" ? "+" : "";
  const body = s.endsWith("\n") ? s.slice(0, -1) : s;
  const lines = body.split("\n").map((l) => (l === "" ? "" : pad + l));
  return `|${hint}${chomp}\n${lines.join("\n")}`;
}

export function formatScalar(v: string | number | boolean | null, isKey: boolean): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return formatNumber(v);
  if (v === "" || resolvesToNonString(v) || isOldBool(v) || isBase60Float(v)) return doubleQuoted(v);
  const a = analyze(v);
  if (a.blockPlainAllowed && !(isKey && a.multiline)) return v;
  return a.singleQuotedAllowed && !a.multiline ? `'${v.replaceAll("'", "''")}'` : doubleQuoted(v);
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return ".nan";
  if (!Number.isFinite(n)) return n > 0 ? ".inf" : "-.inf";
  return String(n);
}

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
  if (isGoInt(plain) || yamlFloat.test(plain)) return true;
  return /^-?0b[01]+$/.test(plain) || /^-?0o[0-7]+$/.test(plain);
}

/** strconv.ParseInt/ParseUint with base 0: decimal, 0x, 0o, 0b, and legacy leading-zero octal. */
function isGoInt(s: string): boolean {
  return /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]*|0[bB][01]+|[1-9][0-9]*)$/.test(s);
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
function analyze(s: string): Analysis {
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

function isPrintable(c: string): boolean {
  const code = c.codePointAt(0) ?? 0;
  return (
    code === 0x0a ||
    (code >= 0x20 && code <= 0x7e) ||
    code === 0x85 ||
    (code >= 0xa0 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff) ||
    code >= 0x10000
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

// ---- JSON ----

/** Compact JSON as Go's encoding/json writes it (HTML characters escaped, struct fields in order). */
export function toJson(node: Node): string {
  if (node.kind === "map") {
    return `{${orderedEntries(node, "json")
      .map(([k, v]) => `${jsonString(k)}:${toJson(v)}`)
      .join(",")}}`;
  }
  if (node.kind === "seq") return `[${node.items.map(toJson).join(",")}]`;
  const v = node.value;
  if (typeof v === "string") return jsonString(v);
  if (typeof v === "number") return formatNumber(v);
  return String(v);
}

function jsonString(s: string): string {
  return JSON.stringify(s)
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e")
    .replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}
