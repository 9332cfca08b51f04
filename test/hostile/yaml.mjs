/**
 * A small block-style YAML writer for plain data (objects, arrays, strings, numbers, booleans, null).
 * Written here rather than borrowed from the loader's `yaml` dependency so that the test inputs do not
 * depend on the library under test. Strings are JSON-quoted, which YAML reads as double-quoted scalars.
 */
export function toYaml(value, indent = 0) {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return `${pad}[]\n`;
    return value
      .map((item) => (isNested(item) ? `${pad}-\n${toYaml(item, indent + 2)}` : `${pad}- ${scalar(item)}\n`))
      .join("");
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return `${pad}{}\n`;
    return entries
      .map(([k, v]) =>
        isNested(v) ? `${pad}${key(k)}:\n${toYaml(v, indent + 2)}` : `${pad}${key(k)}: ${scalar(v)}\n`,
      )
      .join("");
  }
  return `${pad}${scalar(value)}\n`;
}

const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const isNested = (v) => (Array.isArray(v) && v.length > 0) || (isObject(v) && Object.keys(v).length > 0);

function scalar(v) {
  if (Array.isArray(v)) return "[]";
  if (isObject(v)) return "{}";
  if (typeof v === "string") return JSON.stringify(v);
  if (v === undefined || v === null) return "null";
  return String(v);
}

/** Plain keys stay plain (as people write them); anything YAML could read as another type is quoted. */
function key(k) {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(k) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(k)
    ? k
    : JSON.stringify(k);
}
