import { ComposeError, ErrorCodes } from "./errors.js";
import { interpolateString } from "./interpolate.js";
import { setOwn } from "./own-key.js";

/** Letters and digits of any script, and `_ . - [ ]`, as compose's .env reader accepts in names. */
const KEY_CHAR = /[\p{L}\p{N}_.[\]-]/u;
/** Spaces that do not end a line (compose's list: tab, vertical tab, form feed, CR, space, NEL, NBSP). */
const INLINE_SPACE = /[\t\v\f\r \u0085\u00a0]/;
/** Escapes compose expands in double-quoted values; others are kept as written. */
const ESCAPE = /\\(?:[abfnrtv$"\\]|0[0-7]{3})/g;
const ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  '"': '"',
  "\\": "\\",
  // An escaped dollar must survive the variable expansion that follows.
  $: "$$",
};

/**
 * Parses a .env file the way compose does: `KEY=VALUE` or `export KEY=VALUE` (also `KEY: VALUE`), blank and
 * `#` lines skipped, ` #` starting a comment after an unquoted value, single quotes literal, double quotes
 * with escapes and spanning lines, `$VAR`/`${VAR...}` expanded in unquoted and double-quoted values (from
 * `lookup` first, then keys defined earlier in the file), and a lone `KEY` taking its value from `lookup`.
 */
export function parseDotEnv(
  content: string,
  file: string,
  lookup: (name: string) => string | undefined = () => undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  const src = content.replace(/^\uFEFF/, "");
  let pos = 0;
  let line = 1;

  const fail = (message: string, at = line): never => {
    throw new ComposeError(ErrorCodes.envFile, message, { location: { file, line: at, column: 1 } });
  };
  const expand = (value: string, at: number): string => {
    try {
      return interpolateString(
        value,
        (name) => lookup(name) ?? (Object.hasOwn(out, name) ? out[name] : undefined),
      );
    } catch (err) {
      if (!(err instanceof ComposeError)) throw err;
      return fail(err.message, at);
    }
  };
  const set = (key: string, value: string) => setOwn(out, key, value);

  while (pos < src.length) {
    const ch = src[pos]!;
    if (ch === "\n") {
      line++;
      pos++;
      continue;
    }
    if (/\s/.test(ch)) {
      pos++;
      continue;
    }
    const eol = src.indexOf("\n", pos) < 0 ? src.length : src.indexOf("\n", pos);
    if (ch === "#") {
      pos = eol;
      continue;
    }

    const exported = /^export[\t ]+/.exec(src.slice(pos, eol));
    if (exported) pos += exported[0].length;

    // The name runs to `=`, `:` or the end of the line; a lone name inherits from `lookup`.
    let end = pos;
    while (end < eol && src[end] !== "=" && src[end] !== ":") end++;
    const key = src.slice(pos, end).replace(/\s+$/, "");
    if (key === "") fail(`missing variable name before "${src[end]}"`);
    if (/\s/.test(key)) fail(`variable name ${JSON.stringify(key)} cannot contain a space`);
    const bad = [...key].find((c) => !KEY_CHAR.test(c));
    if (bad !== undefined)
      fail(`unexpected character ${JSON.stringify(bad)} in variable name ${JSON.stringify(key)}`);
    if (end === eol) {
      const inherited = lookup(key);
      if (inherited !== undefined) set(key, inherited);
      pos = eol;
      continue;
    }

    pos = end + 1;
    while (pos < eol && INLINE_SPACE.test(src[pos]!)) pos++;
    const quote = src[pos];
    if (quote !== '"' && quote !== "'") {
      const raw = src.slice(pos, eol);
      const comment = raw.indexOf(" #");
      const value = (comment < 0 ? raw : raw.slice(0, comment)).replace(/\s+$/, "");
      set(key, expand(value, line));
      pos = eol;
      continue;
    }

    const startLine = line;
    let close = pos + 1;
    while (close < src.length && src[close] !== quote) close += src[close] === "\\" ? 2 : 1;
    if (close >= src.length) fail(`unterminated quoted value for ${key}`, startLine);
    const body = src.slice(pos + 1, close);
    line += body.split("\n").length - 1;
    set(key, quote === "'" ? body : expand(expandEscapes(body), startLine));

    // After the closing quote only spaces and a comment may follow on the line.
    const restEnd = src.indexOf("\n", close) < 0 ? src.length : src.indexOf("\n", close);
    const rest = src.slice(close + 1, restEnd).trim();
    if (rest !== "" && !rest.startsWith("#"))
      fail(`unexpected text after the quoted value of ${key}: ${rest}`);
    pos = restEnd;
  }
  return out;
}

function expandEscapes(body: string): string {
  return body.replace(ESCAPE, (seq) => {
    const c = seq[1]!;
    return c === "0" ? String.fromCharCode(Number.parseInt(seq.slice(2), 8)) : ESCAPES[c]!;
  });
}
