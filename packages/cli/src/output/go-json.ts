const GO_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/**
 * JSON as Go's json.Marshal writes it, which docker's formatters use for `ps --format json`: like
 * JSON.stringify, but `<`, `>` and `&` (`0.0.0.0:80->80/tcp`) are escaped, as are U+2028 and U+2029.
 * A reader gets the same values either way; a program comparing text gets docker's.
 */
export function goMarshal(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c] ?? c);
}
