/**
 * How a plain (unquoted, untagged) scalar is typed: the YAML 1.2 core schema, plus the number forms
 * compose (go-yaml v3) also accepts — YAML 1.1 octal `0755`, binary `0b101`, `0X1F`, `_` separators —
 * with go-yaml's values: int64 and uint64 exactly, out-of-range forms as go-yaml falls back on them.
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

/** How many `ExactNumber`s this process has made: with none, the usual case, nothing needs settling. */
let made = 0;

/**
 * A plain number whose text, where compose turns it into a string (`environment`, `labels`, build
 * `args`…), is not what JavaScript's `String(value)` gives: an integer beyond 2^53, which a JavaScript
 * number cannot hold exactly (`9223372036854775807`), or a float that Go writes in another form
 * (`1.5e+10`, `-0`); also `.inf` and `.nan`, which compose refuses. `value` serves where a number is
 * wanted; `text` is compose's string (Go's `fmt.Sprint` of what go-yaml decoded; `.inf` as written).
 * `settleNumbers` replaces each by one or the other before validation; no stage after it sees one.
 */
export class ExactNumber {
  constructor(
    readonly value: number,
    readonly text: string,
  ) {
    made++;
  }
}

export function exactNumbersMade(): number {
  return made;
}

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;
const radixOf: Record<string, number> = { "0x": 16, "0o": 8, "0b": 2, "0": 8, "": 10 };
const digitsOf: Record<number, RegExp> = {
  16: /^[0-9a-fA-F]+$/,
  10: /^[0-9]+$/,
  8: /^[0-7]+$/,
  2: /^[01]+$/,
};
const bigIntPrefix: Record<number, string> = { 16: "0x", 10: "", 8: "0o", 2: "0b" };

/**
 * `plain` (without `_`) as go-yaml reads an integer: Go's strconv.ParseInt, then ParseUint, with base
 * 0 (`0x`, `0o`, `0b` in either case, `0` for octal, else decimal), when it fits int64 or uint64.
 */
export function goInteger(plain: string): bigint | undefined {
  const m = /^([-+]?)(0[xXoObB](?=.)|0(?=.))?(.*)$/s.exec(plain)!;
  const radix = radixOf[(m[2] ?? "").toLowerCase()]!;
  const digits = m[3]!;
  if (!digitsOf[radix]!.test(digits)) return undefined;
  const magnitude = BigInt(`${bigIntPrefix[radix]}${digits}`);
  const n = m[1] === "-" ? -magnitude : magnitude;
  return n >= INT64_MIN && n <= UINT64_MAX ? n : undefined;
}

/**
 * An integer as go-yaml decodes it: an int64 or a uint64 when it fits. Beyond that, decimal digits
 * (also `0777…`, which Go reads again as a decimal float) become a float, other forms stay text.
 */
function intRule(test: RegExp, prefixed: boolean): PlainRule {
  return {
    tag: INT_TAG,
    test,
    resolve(source) {
      const n = goInteger(source.replaceAll("_", ""));
      if (n === undefined) return prefixed ? source : resolveFloat(source);
      const value = Number(n);
      return Number.isSafeInteger(value) ? value : new ExactNumber(value, n.toString());
    },
  };
}

/** A float as go-yaml decodes it (`_` ignored); one out of float64's range stays text, as there. */
function resolveFloat(source: string): unknown {
  const value = Number(source.replaceAll("_", ""));
  if (!Number.isFinite(value)) return source;
  const text = goFloatText(value);
  return text === String(value) ? value : new ExactNumber(value, text);
}

/**
 * A float64 as Go's `fmt.Sprint` writes it (`strconv.FormatFloat(f, 'g', -1, 64)`): the shortest
 * digits that read back as the same number (JavaScript finds the same ones), in exponent form when
 * the exponent is below -4 or at least 6, with at least two exponent digits.
 */
export function goFloatText(value: number): string {
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const [mantissa, exponent] = Math.abs(value).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const exp = Number(exponent);
  const sign = value < 0 ? "-" : "";
  if (exp < -4 || exp >= 6) {
    const shown = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${shown}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const fraction = digits.slice(exp + 1);
  return `${sign}${whole}${fraction === "" ? "" : `.${fraction}`}`;
}

/**
 * Integers, tried before floats so that `0755` does not become the float 755. Prefixes in either case
 * and `_` anywhere after the first digit, as go-yaml (strconv.ParseInt with base 0) reads them.
 */
export const intRules: PlainRule[] = [
  intRule(/^[-+]?0[bB][01_]+$/, true),
  intRule(/^[-+]?0[oO][0-7_]+$/, true),
  intRule(/^[-+]?0[xX][0-9a-fA-F_]+$/, true),
  intRule(/^[-+]?0[0-7_]+$/, false),
  intRule(/^[-+]?[0-9][0-9_]*$/, false),
];

/** The core schema's null, bool and float rules (as the `yaml` package writes them), around `intRules`. */
export const plainRules: PlainRule[] = [
  { tag: NULL_TAG, test: /^(?:~|[Nn]ull|NULL)?$/, resolve: () => null },
  { tag: BOOL_TAG, test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, resolve: (s) => s[0] === "t" || s[0] === "T" },
  ...intRules,
  {
    tag: FLOAT_TAG,
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    // Kept with its text: compose refuses these (settleNumbers says where).
    resolve: (s) =>
      new ExactNumber(
        s.slice(-3).toLowerCase() === "nan"
          ? Number.NaN
          : s[0] === "-"
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY,
        s,
      ),
  },
  // go-yaml drops `_` before reading a float, except in one that starts with `.`.
  {
    tag: FLOAT_TAG,
    test: /^(?:\.[0-9]+|[-+]\.[0-9][0-9_]*|[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?)[eE][-+]?[0-9]+$/,
    resolve: resolveFloat,
  },
  {
    tag: FLOAT_TAG,
    test: /^(?:\.[0-9]+|[-+]\.[0-9][0-9_]*|[-+]?[0-9][0-9_]*\.[0-9_]*)$/,
    resolve: resolveFloat,
  },
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
