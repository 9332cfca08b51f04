import { setOwn } from "./own-key.js";
import { ExactNumber, exactNumbersMade } from "./scalars.js";
import { type DocPath, pathMatches } from "./source.js";
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
 */
export function settleNumbers(data: unknown): unknown {
  if (exactNumbersMade() === 0) return data;
  const path: (string | number)[] = [];
  const walk = (value: unknown): unknown => {
    if (value instanceof ExactNumber) return isStringTarget(path) ? value.text : value.value;
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
  return walk(data);
}

function isStringTarget(path: DocPath): boolean {
  return STRING_TARGETS.some((pattern) => pathMatches(pattern, path));
}
