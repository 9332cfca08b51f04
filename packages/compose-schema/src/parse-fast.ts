import {
  EVENT_ALIAS,
  EVENT_DOCUMENT,
  EVENT_MAPPING,
  EVENT_POP,
  EVENT_SEQUENCE,
  type Event,
  NOT_RESOLVED,
  Schema,
  constructFromEvents,
  defineMappingTag,
  defineScalarTag,
  defineSequenceTag,
  mergeTag,
  parseEvents,
  seqTag,
  strTag,
} from "js-yaml";
import { EventLocator } from "./event-locator.js";
import { setOwn } from "./own-key.js";
import { MAX_ALIAS_COUNT, MAX_FAST_DEPTH, directiveLine } from "./parse-limits.js";
import { BOOL_TAG, FLOAT_TAG, INT_TAG, NULL_TAG, plainRules, resolvePlain } from "./scalars.js";
import type { DocPath } from "./source.js";
import { OverrideTag, ResetTag } from "./tags.js";

/**
 * The fast path of parsing: js-yaml builds plain data from a flat event stream several times faster
 * than `yaml` builds its document model. It only vouches for files that the exact parser (parse.ts)
 * would accept with the same data; for anything else — a YAML error, a non-string key, a `%` directive,
 * many aliases, an anchor used inside itself, deep nesting — it returns undefined and the exact parser
 * decides and reports. Source positions come from the exact parser too, only when asked for.
 */

type Data = Record<string, unknown>;

/** A mapping whose keys must be strings; any other key hands the file to the exact parser. */
function mappingTag<R>(tagName: string, finalize: (map: Data) => R, entries: (result: R) => Data) {
  return defineMappingTag<Data, R>(tagName, {
    create: () => ({}),
    addPair(map, key, value) {
      if (typeof key !== "string") return "a mapping key is not a string";
      setOwn(map, key, value);
      return "";
    },
    has: (map, key) => typeof key === "string" && Object.hasOwn(map, key),
    keys: (result) => Object.keys(entries(result)),
    get: (result, key) => entries(result)[String(key)],
    finalize,
    identify: () => false,
  });
}

function sequenceTag<R>(tagName: string, finalize: (items: unknown[]) => R) {
  return defineSequenceTag<unknown[], R>(tagName, {
    create: () => [],
    addItem(items, item) {
      items.push(item);
    },
    finalize,
    identify: () => false,
  });
}

/** One implicit tag per core type, typing plain scalars with the same rules as the exact parser. */
function plainTag(tagName: string, firstChars: string[]) {
  const rules = plainRules.filter((r) => r.tag === tagName);
  return defineScalarTag(tagName, {
    implicit: true,
    implicitFirstChars: firstChars,
    resolve(source, isExplicit) {
      // Explicit core tags (`!!int 1`) are rare: the exact parser handles them.
      if (isExplicit) return NOT_RESOLVED;
      for (const rule of rules) if (rule.test.test(source)) return rule.resolve(source);
      return NOT_RESOLVED;
    },
    identify: () => false,
  });
}

const digits = [..."0123456789"];
const schema = new Schema([
  strTag,
  seqTag,
  mappingTag(
    "tag:yaml.org,2002:map",
    (map) => map,
    (map) => map,
  ),
  plainTag(NULL_TAG, ["", "~", "n", "N"]),
  plainTag(BOOL_TAG, [..."tTfF"]),
  plainTag(INT_TAG, [...digits, "-", "+"]),
  plainTag(FLOAT_TAG, [...digits, "-", "+", "."]),
  mergeTag,
  defineScalarTag("!reset", { resolve: () => new ResetTag(), identify: () => false }),
  sequenceTag("!reset", () => new ResetTag()),
  mappingTag(
    "!reset",
    () => new ResetTag(),
    () => ({}),
  ),
  // An explicit tag turns off implicit typing, so `!override 3` is typed here like a plain `3`.
  defineScalarTag("!override", {
    resolve: (source) => new OverrideTag(resolvePlain(source)),
    identify: () => false,
  }),
  sequenceTag("!override", (items) => new OverrideTag(items)),
  mappingTag(
    "!override",
    (map) => new OverrideTag(map),
    (result) => result.value as Data,
  ),
]);

/** What a fast parsing tier gives: the documents, and where a key or value was written. */
export interface FastParse {
  docs: Data[];
  /** Where the key or value at `path` of document `doc` was written, or undefined when the exact parser must say. */
  offset(doc: number, path: DocPath, which: "key" | "value"): number | undefined;
}

/** The documents of `text` as plain data, or undefined when the exact parser must decide. */
export function parseFast(text: string): FastParse | undefined {
  let events: Event[];
  let docs: unknown[];
  // A `%` directive (`%YAML 1.1` changes how the exact parser types scalars; unknown ones are errors)
  // is for the exact parser; js-yaml's events do not show every kind.
  if (directiveLine.test(text)) return undefined;
  try {
    events = parseEvents(text, { maxDepth: MAX_FAST_DEPTH });
    // Without a `*` there is no alias, and nothing for withinFastLimits to find.
    if (text.includes("*") && !withinFastLimits(text, events)) return undefined;
    docs = constructFromEvents(events, { source: text, schema, maxAliases: MAX_ALIAS_COUNT });
  } catch {
    return undefined;
  }
  if (docs.length === 0) return undefined;
  for (const doc of docs) {
    if (doc === null || typeof doc !== "object" || Array.isArray(doc) || doc.constructor !== Object) {
      return undefined;
    }
  }
  const locator = new EventLocator(text, events);
  return { docs: docs as Data[], offset: (doc, path, which) => locator.offset(doc, path, which) };
}

/**
 * No alias inside the node its anchor names (js-yaml would build a cyclic value; compose refuses it),
 * and no alias to a node that itself holds aliases, which is how alias bombs grow and what the exact
 * parser weighs them by.
 */
function withinFastLimits(text: string, events: Event[]): boolean {
  // One entry per open collection: its anchor name ("" for none) and whether an alias was seen in it.
  const open: { anchor: string; hasAlias: boolean }[] = [];
  const nested = new Set<string>();
  const name = (event: { anchorStart: number; anchorEnd: number }) =>
    event.anchorStart < 0 ? "" : text.slice(event.anchorStart, event.anchorEnd);
  for (const event of events) {
    switch (event.type) {
      case EVENT_DOCUMENT:
        open.push({ anchor: "", hasAlias: false });
        break;
      case EVENT_SEQUENCE:
      case EVENT_MAPPING:
        open.push({ anchor: name(event), hasAlias: false });
        break;
      case EVENT_POP: {
        const closed = open.pop();
        if (closed?.anchor) {
          if (closed.hasAlias) nested.add(closed.anchor);
          else nested.delete(closed.anchor);
        }
        break;
      }
      case EVENT_ALIAS: {
        const target = name(event);
        if (nested.has(target) || open.some((o) => o.anchor === target)) return false;
        for (const o of open) o.hasAlias = true;
        break;
      }
    }
  }
  return true;
}
