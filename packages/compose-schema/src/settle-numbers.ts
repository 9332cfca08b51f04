import type { Locate } from "./canonical/index.js";
import { ComposeError, ErrorCodes } from "./errors.js";
import { setOwn } from "./own-key.js";
import { ExactNumber, exactNumbersMade } from "./scalars.js";
import { type DocPath, formatPath, pathMatches } from "./source.js";
import { OverrideTag } from "./tags.js";

/**
 * Where compose turns a number into a string with Go's `fmt.Sprint` (its mapping types): there a
 * number becomes the text compose gives it, `9223372036854775807` as written rather than the nearest
 * JavaScript number. `*` is any key, `[]` any index.
 */
const STRING_TARGETS: readonly string[][] = [
  ...[
    ["environment", "*"],
    ["labels", "*"],
    ["annotations", "*"],
    ["sysctls", "*"],
    ["build", "args", "*"],
    ["build", "labels", "*"],
    ["deploy", "labels", "*"],
    ["logging", "options", "*"],
  ].map((p) => ["services", "*", ...p]),
  ...["networks", "volumes", "secrets", "configs"].flatMap((section) => [
    [section, "*", "labels", "*"],
    [section, "*", "driver_opts", "*"],
  ]),
];

/**
 * The document with each `ExactNumber` of the parse replaced: by compose's text where the target is a
 * string (STRING_TARGETS), by its number everywhere else. Parts without one are returned as they are.
 * An infinite or NaN number is an error, located with `locate`: compose checks every file as JSON,
 * which cannot hold one, and refuses it wherever it is.
 */
export function settleNumbers(data: unknown, locate: Locate): { data: unknown; errors: ComposeError[] } {
  const errors: ComposeError[] = [];
  if (exactNumbersMade() === 0) return { data, errors };
  const path: (string | number)[] = [];
  const walk = (value: unknown): unknown => {
    if (value instanceof ExactNumber) {
      if (!Number.isFinite(value.value)) errors.push(nonFinite(path, value.text, locate));
      return isStringTarget(path) ? value.text : value.value;
    }
    if (value instanceof OverrideTag) {
      const inner = walk(value.value);
      return inner === value.value ? value : new OverrideTag(inner);
    }
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      value.forEach((item, i) => {
        path.push(i);
        const settled = walk(item);
        path.pop();
        if (settled === item) return;
        out ??= [...value];
        out[i] = settled;
      });
      return out ?? value;
    }
    if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
      let out: Record<string, unknown> | undefined;
      for (const [k, item] of Object.entries(value)) {
        path.push(k);
        const settled = walk(item);
        path.pop();
        if (settled === item) continue;
        out ??= { ...value };
        setOwn(out, k, settled);
      }
      return out ?? value;
    }
    return value;
  };
  return { data: walk(data), errors };
}

function nonFinite(path: DocPath, text: string, locate: Locate): ComposeError {
  return new ComposeError(
    ErrorCodes.invalidValue,
    `${formatPath(path)}: ${text} is not a number compose accepts (it checks files as JSON, which has no infinite or NaN numbers); quote it, "${text}", to mean the text`,
    { location: locate(path) },
  );
}

function isStringTarget(path: DocPath): boolean {
  return STRING_TARGETS.some((pattern) => pathMatches(pattern, path));
}
