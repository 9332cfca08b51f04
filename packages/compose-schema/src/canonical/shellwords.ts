/**
 * Splits a string `command:`/`entrypoint:`/healthcheck `test:` into words the way compose does
 * (go-shellwords v1.0.12 without env or backtick expansion): quotes group, a backslash escapes any
 * character outside single quotes, and parsing stops at the first unquoted `;`, `&`, `|`, `<` or `>`.
 * Returns undefined for an unterminated quote or trailing backslash.
 */
export function splitShellWords(line: string): string[] | undefined {
  const args: string[] = [];
  let buf = "";
  let got = false;
  let escaped = false;
  let single = false;
  let double = false;
  for (const ch of line) {
    if (escaped) {
      buf += ch;
      escaped = false;
      got = true;
      continue;
    }
    if (ch === "\\") {
      if (single) buf += ch;
      else escaped = true;
      continue;
    }
    if (/\s/.test(ch)) {
      if (single || double) buf += ch;
      else if (got) {
        args.push(buf);
        buf = "";
        got = false;
      }
      continue;
    }
    if (ch === '"' && !single) {
      double = !double;
      got = true;
      continue;
    }
    if (ch === "'" && !double) {
      single = !single;
      got = true;
      continue;
    }
    if (";&|<>".includes(ch) && !single && !double) break;
    buf += ch;
    got = true;
  }
  if (escaped || single || double) return undefined;
  if (got) args.push(buf);
  return args;
}
