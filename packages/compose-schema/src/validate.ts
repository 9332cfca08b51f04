import type { ErrorObject } from "ajv";
import { ComposeError, ErrorCodes } from "./errors.js";
import { setOwn } from "./own-key.js";
import { schema as compiledSchema, validate as compiledValidate } from "./schema/compose-spec.validator.js";
import { type DocPath, type SourceFile, formatPath } from "./source.js";
import { suggest } from "./suggest.js";
import { OverrideTag, ResetTag, hasTags } from "./tags.js";

/** A node of our schema, with Berth's wording annotations (`x-expect`, `x-error`). */
interface SchemaNode {
  type?: string | string[];
  $ref?: string;
  anyOf?: SchemaNode[];
  properties?: Record<string, SchemaNode>;
  enum?: unknown[];
  "x-expect"?: string;
  "x-error"?: string;
  /** Where keys that do not belong here are often meant to go: a place's name and its schema. */
  "x-elsewhere"?: Record<string, string>;
  [key: string]: unknown;
}

interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

// The validator is generated at build time (scripts/generate-validator.mjs): compiling the schema with
// ajv at startup would cost ~200 ms of every `berth` command.
const validateSchema = compiledValidate as Validator;
const schema = compiledSchema as SchemaNode;

export interface ValidationResult {
  errors: ComposeError[];
  warnings: string[];
}

/**
 * Checks one interpolated compose file against the Compose Specification. Every fault of the file is
 * reported, sorted by position; `!reset` is valid anywhere and `!override` is checked by its value.
 */
export function validateComposeFile(source: SourceFile, data: unknown): ValidationResult {
  const resets: string[] = [];
  const plain = hasTags(data) ? unwrapTags(data, "", resets) : data;
  const warnings: string[] = [];
  if (
    plain !== null &&
    typeof plain === "object" &&
    !Array.isArray(plain) &&
    Object.hasOwn(plain, "version")
  ) {
    const at = source.locate(["version"], "key");
    warnings.push(
      `${at.file}:${at.line}:${at.column}: \`version\` is obsolete and ignored; you can remove it`,
    );
  }
  warnings.push(...scaleWarnings(source, plain));
  if (validateSchema(plain)) return { errors: [], warnings };

  const raw = (validateSchema.errors ?? []).filter(
    (e) => !resets.some((r) => isAtOrBelow(e.instancePath, r)),
  );
  const faults = explain(raw, plain);
  const errors = faults.map((f) => toComposeError(f, source, plain));
  const located = errors.map((error, i) => ({ error, loc: error.location!, i }));
  located.sort((a, b) => a.loc.line - b.loc.line || a.loc.column - b.loc.column || a.i - b.i);
  return { errors: located.map((l) => l.error), warnings };
}

/** Compose warns about a `scale` above 1 (one that changes something), at each service that sets one. */
function scaleWarnings(source: SourceFile, plain: unknown): string[] {
  const services = (plain as { services?: unknown } | null)?.services;
  if (typeof services !== "object" || services === null) return [];
  return Object.entries(services)
    .filter(([, service]) => Number((service as { scale?: unknown } | null)?.scale) > 1)
    .map(([name]) => {
      const at = source.locate(["services", name, "scale"], "key");
      return `${at.file}:${at.line}:${at.column}: \`scale\` is deprecated; use deploy.replicas`;
    });
}

/** Plain data for the validator: `!override X` becomes X, and the JSON pointers of `!reset` are noted. */
function unwrapTags(value: unknown, pointer: string, resets: string[]): unknown {
  if (value instanceof ResetTag) {
    resets.push(pointer);
    return value;
  }
  if (value instanceof OverrideTag) return unwrapTags(value.value, pointer, resets);
  if (Array.isArray(value)) return value.map((v, i) => unwrapTags(v, `${pointer}/${i}`, resets));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      setOwn(out, k, unwrapTags(v, `${pointer}/${escapePointer(k)}`, resets));
    return out;
  }
  return value;
}

/** One fault to report: where, and what to say (the message without the path). */
interface Fault {
  pointer: string;
  text: string;
  code: string;
  /** Locate the key rather than the value (unknown keys). */
  atKey?: boolean;
  /** For value-level faults in an `anyOf` without wording of their own: worded by the `anyOf`. */
  needsWording?: boolean;
}

/** A fault while `explain` runs: `fromType` marks wrong-type faults, which `anyOf` branches discard. */
type PendingFault = Fault & { fromType?: boolean };

/**
 * Turns ajv's error list into faults. ajv reports an `anyOf` after the errors of all its branches, so
 * a stack of pending faults is kept: at an `anyOf`, the faults under its value are its branches'. If the
 * value's type fits no branch, one "must be ..." replaces them; otherwise the faults of the branch it
 * fits are kept (the others only say "wrong type").
 */
function explain(errors: ErrorObject[], data: unknown): Fault[] {
  const stack: PendingFault[] = [];
  for (const e of errors) {
    if (e.keyword === "anyOf") {
      const branchFaults: PendingFault[] = [];
      while (stack.length > 0 && isAtOrBelow(stack[stack.length - 1].pointer, e.instancePath)) {
        branchFaults.unshift(stack.pop()!);
      }
      const node = e.parentSchema as SchemaNode;
      const value = valueAt(data, e.instancePath);
      const fits = (node.anyOf ?? []).some((b) => typeFits(resolve(b), value));
      const kept = branchFaults.filter((f) => !(f.fromType && f.pointer === e.instancePath));
      // A fitting branch whose faults were all under `!reset` counts as a match.
      if (fits && kept.length === 0) continue;
      if (!fits) {
        stack.push({
          pointer: e.instancePath,
          text: `must be ${node["x-expect"] ?? "valid"}, got ${describe(value)}`,
          code: ErrorCodes.schema,
        });
        continue;
      }
      for (const f of kept) {
        if (f.needsWording && f.pointer === e.instancePath && node["x-error"]) {
          stack.push({ ...f, text: `${show(value)} ${node["x-error"]}`, needsWording: false });
        } else stack.push(f);
      }
      continue;
    }
    // The name check's own errors come first, at the object: the propertyNames error replaces them.
    if (e.keyword === "propertyNames") {
      while (stack.length > 0 && stack[stack.length - 1].pointer === e.instancePath) stack.pop();
    }
    stack.push(leafFault(e, data));
  }
  return stack;
}

function leafFault(e: ErrorObject, data: unknown): PendingFault {
  const value = valueAt(data, e.instancePath);
  const owner = (e.parentSchema ?? {}) as SchemaNode;
  const p = e.params as Record<string, unknown>;
  const base = { pointer: e.instancePath, code: ErrorCodes.schema };
  switch (e.keyword) {
    case "type":
      return {
        ...base,
        text: `must be ${typeList(owner.type ?? String(p.type))}, got ${describe(value)}`,
        fromType: true,
      };
    case "additionalProperties": {
      const key = String(p.additionalProperty);
      return {
        pointer: `${e.instancePath}/${escapePointer(key)}`,
        code: ErrorCodes.unknownKey,
        atKey: true,
        text: `unknown key ${JSON.stringify(key)}${unknownKeyHint(key, owner)}`,
      };
    }
    case "required":
      return { ...base, text: `missing required key ${JSON.stringify(p.missingProperty)}` };
    case "enum": {
      const allowed = (owner.enum ?? []).map(String);
      const close = typeof value === "string" ? suggest(value, allowed) : undefined;
      return {
        ...base,
        text: `${show(value)} is not one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}${close ? ` (did you mean ${JSON.stringify(close)}?)` : ""}`,
      };
    }
    case "propertyNames": {
      // The name itself is wrong: word it with the name schema's annotation, at the key.
      const name = String(p.propertyName);
      const nameSchema = resolve(e.schema as SchemaNode);
      return {
        pointer: `${e.instancePath}/${escapePointer(name)}`,
        code: ErrorCodes.schema,
        atKey: true,
        text: `${JSON.stringify(name)} ${nameSchema["x-error"] ?? "is not a valid name"}`,
      };
    }
    case "uniqueItems": {
      // ajv names the two indexes in either order depending on the item type.
      const [first, second] = [Number(p.i), Number(p.j)].sort((a, b) => a - b);
      return {
        pointer: `${e.instancePath}/${second}`,
        code: ErrorCodes.schema,
        text: `${show(valueAt(data, `${e.instancePath}/${second}`))} is listed twice (also at [${first}])`,
      };
    }
    case "pattern":
    case "minimum":
    case "maximum": {
      if (owner["x-error"]) return { ...base, text: `${show(value)} ${owner["x-error"]}` };
      const fallback =
        e.keyword === "pattern"
          ? "is not valid"
          : `is ${e.keyword === "minimum" ? "less" : "greater"} than ${p.limit}`;
      return { ...base, text: `${show(value)} ${fallback}`, needsWording: true };
    }
    default:
      // A keyword this module does not word yet (ajv's own messages are not generated).
      return { ...base, text: `${show(value)} does not satisfy "${e.keyword}"` };
  }
}

/** A typo of a key allowed here, or else the place where such a key belongs (`restart_policy` in `deploy`). */
function unknownKeyHint(key: string, owner: SchemaNode): string {
  const close = suggest(key, Object.keys(owner.properties ?? {}));
  if (close) return ` (did you mean ${JSON.stringify(close)}?)`;
  for (const [place, ref] of Object.entries(owner["x-elsewhere"] ?? {})) {
    if (keysOf(nodeAt(ref)).includes(key)) return ` (it belongs under ${JSON.stringify(place)})`;
  }
  return "";
}

function keysOf(node: SchemaNode): string[] {
  const own = Object.keys(node.properties ?? {});
  return [...own, ...(node.anyOf ?? []).flatMap((b) => keysOf(resolve(b)))];
}

function toComposeError(f: Fault, source: SourceFile, data: unknown): ComposeError {
  const path = toDocPath(f.pointer, data);
  const location = source.locate(path, f.atKey ? "key" : "value");
  const where = f.atKey ? path.slice(0, -1) : path;
  const shown = where.length === 0 ? "top level" : formatPath(where);
  return new ComposeError(f.code, `${shown}: ${f.text}`, { location });
}

function typeFits(node: SchemaNode, value: unknown): boolean {
  if (node.type === undefined) return node.anyOf ? node.anyOf.some((b) => typeFits(resolve(b), value)) : true;
  const types = Array.isArray(node.type) ? node.type : [node.type];
  return types.some((t) => jsonTypeIs(t, value));
}

function jsonTypeIs(type: string, value: unknown): boolean {
  switch (type) {
    case "null":
      return value === null;
    case "array":
      return Array.isArray(value);
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    default:
      return false;
  }
}

const typeNames: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "a boolean",
  object: "a mapping",
  array: "a list",
  null: "null",
};

function typeList(type: string | string[]): string {
  const names = (Array.isArray(type) ? type : type.split(",")).map((t) => typeNames[t] ?? t);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

/** What a wrong value is, for "got ...": scalars are shown, containers named. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value !== null && typeof value === "object") return "a mapping";
  return show(value);
}

function show(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

function resolve(node: SchemaNode): SchemaNode {
  return node.$ref ? nodeAt(node.$ref) : node;
}

/** The schema node at a JSON pointer such as `#/definitions/port` (our `$ref`s are all absolute). */
function nodeAt(pointer: string): SchemaNode {
  let cur: unknown = schema;
  for (const seg of pointer.replace(/^#\/?/, "").split("/")) {
    if (seg === "") continue;
    cur = (cur as Record<string, unknown>)?.[unescapePointer(seg)];
  }
  return (cur ?? {}) as SchemaNode;
}

function valueAt(data: unknown, pointer: string): unknown {
  let cur = data;
  for (const seg of pointer.split("/").slice(1)) {
    cur = (cur as Record<string, unknown>)?.[unescapePointer(seg)];
  }
  return cur;
}

/** A JSON pointer as a `DocPath`: segments that index a list become numbers. */
function toDocPath(pointer: string, data: unknown): DocPath {
  const path: (string | number)[] = [];
  let cur = data;
  for (const raw of pointer.split("/").slice(1)) {
    const seg = unescapePointer(raw);
    path.push(Array.isArray(cur) ? Number(seg) : seg);
    cur = (cur as Record<string, unknown>)?.[seg];
  }
  return path;
}

function isAtOrBelow(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(`${ancestor}/`);
}

function escapePointer(seg: string): string {
  return seg.replace(/~/g, "~0").replace(/\//g, "~1");
}

function unescapePointer(seg: string): string {
  return seg.replace(/~1/g, "/").replace(/~0/g, "~");
}
