/**
 * How a plain (unquoted, untagged) scalar is typed: the YAML 1.2 core schema, plus the integer forms
 * compose (go-yaml v3) also accepts — YAML 1.1 octal `0755`, binary `0b101` and `_` separators.
 * Both parsers (parse.ts and parse-fast.ts) type scalars with these rules, in this order: the first
 * rule whose test matches wins, and a scalar no rule matches is a string.
 */
export interface PlainRule {
  tag: string;
  test: RegExp;
  resolve(source: string): unknown;
}

export const NULL_TAG = "tag:yaml.org,2002:null";
export const BOOL_TAG = "tag:yaml.org,2002:bool";
export const INT_TAG = "tag:yaml.org,2002:int";
export const FLOAT_TAG = "tag:yaml.org,2002:float";

function intRule(test: RegExp, radix: number, prefix: number): PlainRule {
  return {
    tag: INT_TAG,
    test,
    resolve(source) {
      const negative = source.startsWith("-");
      const digits = source.replace(/^[-+]/, "").slice(prefix).replaceAll("_", "");
      const n = Number.parseInt(digits, radix);
      return negative && n !== 0 ? -n : n;
    },
  };
}

/** Integers, tried before floats so that `0755` does not become the float 755. */
export const intRules: PlainRule[] = [
  intRule(/^[-+]?0b[01_]+$/, 2, 2),
  intRule(/^[-+]?0o[0-7_]+$/, 8, 2),
  intRule(/^[-+]?0x[0-9a-fA-F_]+$/, 16, 2),
  intRule(/^[-+]?0[0-7_]+$/, 8, 1),
  intRule(/^[-+]?[0-9][0-9_]*$/, 10, 0),
];

/** The core schema's null, bool and float rules (as the `yaml` package writes them), around `intRules`. */
export const plainRules: PlainRule[] = [
  { tag: NULL_TAG, test: /^(?:~|[Nn]ull|NULL)?$/, resolve: () => null },
  { tag: BOOL_TAG, test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, resolve: (s) => s[0] === "t" || s[0] === "T" },
  ...intRules,
  {
    tag: FLOAT_TAG,
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: (s) =>
      s.slice(-3).toLowerCase() === "nan"
        ? Number.NaN
        : s[0] === "-"
          ? Number.NEGATIVE_INFINITY
          : Number.POSITIVE_INFINITY,
  },
  {
    tag: FLOAT_TAG,
    test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
    resolve: Number.parseFloat,
  },
  { tag: FLOAT_TAG, test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, resolve: Number.parseFloat },
];

/** The value of a plain scalar under `plainRules`. */
export function resolvePlain(source: string): unknown {
  // Most scalars are words: none of the rules matches a text that starts with any other letter.
  if (source.length > 0 && !typedStart.test(source)) return source;
  for (const rule of plainRules) if (rule.test.test(source)) return rule.resolve(source);
  return source;
}

/** The first characters a typed plain scalar can have (null, bool, int, float). */
const typedStart = /^[-+.~0-9nNtTfF]/;
