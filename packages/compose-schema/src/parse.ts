import {
  type Alias,
  type CST,
  type CollectionTag,
  Composer,
  type Document,
  LineCounter,
  type Node,
  Parser,
  type ScalarTag,
  type Tags,
  YAMLMap,
  YAMLSeq,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  visit,
} from "yaml";
import { ComposeError, ComposeErrors, ErrorCodes, type SourceLocation } from "./errors.js";
import { checkAgainstExact, parseCheckEnabled } from "./parse-check.js";
import { parseFast } from "./parse-fast.js";
import { MAX_ALIAS_COUNT, MAX_DEPTH } from "./parse-limits.js";
import { parseLines } from "./parse-lines.js";
import { FLOAT_TAG, INT_TAG, plainRules, resolvePlain } from "./scalars.js";
import { type DocPath, type SourceFile, formatPath } from "./source.js";
import { OverrideTag, ResetTag } from "./tags.js";

/** The number forms compose accepts, with its values (scalars.ts), as `yaml` tags in their order. */
const numberTags: ScalarTag[] = plainRules
  .filter((rule) => rule.tag === INT_TAG || rule.tag === FLOAT_TAG)
  .map((rule) => ({
    identify: (v) => typeof v === "number",
    default: true,
    tag: rule.tag,
    test: rule.test,
    resolve: (str) => rule.resolve(str),
  }));

/** `!override X` keeps X's own nodes (for positions and aliases) and wraps its plain value. */
class OverrideMap extends YAMLMap {
  override toJSON(_: unknown, ctx?: Parameters<YAMLMap["toJSON"]>[1]): unknown {
    return new OverrideTag(super.toJSON(_, ctx));
  }
}

class OverrideSeq extends YAMLSeq {
  override toJSON(_: unknown, ctx?: Parameters<YAMLSeq["toJSON"]>[1]): unknown[] {
    // yaml types a sequence's JS value as an array; only this class's callers see the wrapper.
    return new OverrideTag(super.toJSON(_, ctx)) as unknown as unknown[];
  }
}

function composeTags(tags: Tags): Tags {
  const base = tags.filter((t) => typeof t === "object" && t.tag !== INT_TAG && t.tag !== FLOAT_TAG);
  // Numbers after null and bool, integers before floats: the first matching tag wins, and `0755` must
  // not become the float 755.
  const scalars = [...base, ...numberTags];
  // An explicit tag turns off implicit typing, so `!override 3` is resolved here like a plain `3`.
  const custom: (ScalarTag | CollectionTag)[] = [
    { tag: "!reset", resolve: () => new ResetTag() },
    { tag: "!reset", collection: "map", resolve: () => new ResetTag() },
    { tag: "!reset", collection: "seq", resolve: () => new ResetTag() },
    { tag: "!override", resolve: (str) => new OverrideTag(resolvePlain(str)) },
    { tag: "!override", collection: "map", nodeClass: OverrideMap, resolve: (map) => map },
    { tag: "!override", collection: "seq", nodeClass: OverrideSeq, resolve: (seq) => seq },
  ];
  return [...scalars, ...custom];
}

/**
 * Parses a compose file into one plain-data document per YAML document in it (compose loads the
 * documents of a `---` stream in order, like that many files), each with a way back to the source
 * position of every value.
 */
export function parseComposeDocuments(path: string, content: string | Uint8Array): SourceFile[] {
  const text = typeof content === "string" ? content : decodeUtf8(path, content);
  checkCharacters(path, text);
  // The fast tiers in turn: the line reader for plain block style, then js-yaml.
  const lines = parseLines(text);
  const fast = lines ?? parseFast(text);
  if (!fast) return parseExact(path, text);
  if (parseCheckEnabled()) {
    checkAgainstExact(path, lines ? "parse-lines" : "parse-fast", fast.docs, parseExact(path, text));
  }
  // Positions are only needed for messages: the fast tiers give the common ones; for the rest the
  // exact parser runs, once, when first asked.
  let exact: SourceFile[] | undefined;
  let at: ((offset: number) => SourceLocation) | undefined;
  return fast.docs.map((data, i) => ({
    path,
    data,
    locate: (p, which = "value") => {
      const offset = fast.offset(i, p, which);
      if (offset === undefined) {
        exact ??= parseExact(path, text);
        return exact[i]!.locate(p, which);
      }
      at ??= locationsOf(path, text);
      return at(offset);
    },
  }));
}

/** File, line and column of offsets in `text`, counted by `yaml`'s LineCounter as the exact parser does. */
function locationsOf(path: string, text: string): (offset: number) => SourceLocation {
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lineCounter.addNewLine(i + 1);
  return positionsIn(path, lineCounter);
}

function positionsIn(path: string, lineCounter: LineCounter): (offset: number) => SourceLocation {
  return (offset) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: path, line, column: col };
  };
}

/** Parses with `yaml`, keeping every node's position and checking everything compose checks. */
export function parseExact(path: string, text: string): SourceFile[] {
  const lineCounter = new LineCounter();
  const at = positionsIn(path, lineCounter);
  // yaml's parseAllDocuments, with the depth of each document's syntax tree checked before composing it.
  const composer = new Composer({ merge: true, uniqueKeys: true, schema: "core", customTags: composeTags });
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
  for (const token of tokens) {
    checkDirective(token, at);
    checkDepth(token, at);
  }
  const docs = [...composer.compose(tokens)];

  // A stream with no document (empty, or only comments) is refused, as compose does.
  if (docs.length === 0) {
    throw new ComposeErrors([
      new ComposeError(ErrorCodes.yamlSyntax, "empty compose file: define at least one service in it", {
        location: at(0),
      }),
    ]);
  }
  const syntaxErrors = docs.flatMap((d) =>
    d.errors.map((e) => {
      const message = e.code === "DUPLICATE_KEY" ? `duplicate key ${keyAt(text, e.pos[0])}` : e.message;
      return new ComposeError(ErrorCodes.yamlSyntax, message, { location: at(e.pos[0]) });
    }),
  );
  if (syntaxErrors.length > 0) throw new ComposeErrors(syntaxErrors);
  const errors: ComposeError[] = [];
  const files: SourceFile[] = [];
  for (const doc of docs) {
    try {
      files.push(toSourceFile(path, doc, text, at));
    } catch (err) {
      if (!(err instanceof ComposeErrors)) throw err;
      errors.push(...err.errors);
    }
  }
  if (errors.length > 0) throw new ComposeErrors(errors);
  return files;
}

/** A compose file's first document: all compose reads of it for the top-level `name` and `extends`. */
export function parseComposeFile(path: string, content: string | Uint8Array): SourceFile {
  return parseComposeDocuments(path, content)[0]!;
}

function toSourceFile(
  path: string,
  doc: Document,
  text: string,
  at: (offset: number) => SourceLocation,
): SourceFile {
  const fail = (offset: number, message: string): ComposeErrors =>
    new ComposeErrors([new ComposeError(ErrorCodes.yamlSyntax, message, { location: at(offset) })]);
  const root = doc.contents;
  if (!isMap(root)) {
    // An empty document's node is empty, after its `---`: point at the start of that line.
    const [start, end] = root?.range ?? [0, 0];
    const offset = start === end ? text.lastIndexOf("\n", start - 1) + 1 : start;
    throw fail(offset, "the top level of a compose file must be a mapping (key: value)");
  }
  // Without a `*` in the text there is no alias to resolve, and the walk over every node can be skipped.
  const deref: Deref = text.includes("*") ? aliasResolver(doc, at) : (node) => node;
  const keyErrors = checkKeys(deref, root, [], at);
  if (keyErrors.length > 0) throw new ComposeErrors(keyErrors);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (!(err instanceof ReferenceError && err.message.includes("Excessive alias count"))) throw err;
    throw fail(
      firstAlias(root)?.range?.[0] ?? 0,
      "the file expands too many aliases (a YAML alias bomb?); reduce the use of nested anchors and aliases",
    );
  }
  return { path, data, locate: (p, which = "value") => at(locateOffset(deref, root, p, which)) };
}

/**
 * Characters YAML (and go-yaml, compose's parser) does not allow anywhere in a stream: C0 and C1 control
 * characters other than tab, line feed, carriage return and NEL, and the non-characters U+FFFE/U+FFFF.
 */
const forbiddenCharacter = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

function checkCharacters(path: string, text: string): void {
  const m = forbiddenCharacter.exec(text);
  if (!m) return;
  const code = (m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
  throw new ComposeErrors([
    new ComposeError(ErrorCodes.yamlSyntax, `control characters are not allowed (U+${code}); remove it`, {
      location: locationsOf(path, text)(m.index),
    }),
  ]);
}

/** `%YAML 1.1`, `%YAML 1.2` and `%TAG` are the directives compose reads; it refuses any other. */
function checkDirective(token: CST.Token, at: (offset: number) => SourceLocation): void {
  if (token.type !== "directive") return;
  const [name, version] = token.source.slice(1).split(/[ \t]+/);
  let message: string | undefined;
  if (name === "YAML") {
    if (version !== "1.1" && version !== "1.2")
      message = `found incompatible YAML document (%YAML ${version ?? ""}); use %YAML 1.2 or remove the line`;
  } else if (name !== "TAG") message = `found unknown directive name %${name}; remove the line`;
  if (message) {
    throw new ComposeErrors([
      new ComposeError(ErrorCodes.yamlSyntax, message, { location: at(token.offset) }),
    ]);
  }
}

/** Refuses a document nested deeper than MAX_DEPTH, walking its syntax tree without recursion. */
function checkDepth(root: CST.Token, at: (offset: number) => SourceLocation): void {
  interface Entry {
    token: CST.Token;
    depth: number;
    parent?: Entry;
    seg?: string | number;
  }
  const stack: Entry[] = [{ token: root, depth: 0 }];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const { token, depth } = entry;
    if (token.type === "document") {
      if (token.value) stack.push({ token: token.value, depth, parent: entry });
      continue;
    }
    if (token.type !== "block-map" && token.type !== "block-seq" && token.type !== "flow-collection")
      continue;
    if (depth >= MAX_DEPTH) {
      const path: (string | number)[] = [];
      for (let e: Entry | undefined = entry; e; e = e.parent) if (e.seg !== undefined) path.unshift(e.seg);
      // The path is cut short: the point is where the nesting starts, not thousands of segments.
      const shown = path.length > 8 ? `${formatPath(path.slice(0, 8))}…` : formatPath(path);
      const where = shown === "" ? "the document" : shown;
      throw new ComposeErrors([
        new ComposeError(
          ErrorCodes.yamlSyntax,
          `${where} is nested too deeply (more than ${MAX_DEPTH} levels)`,
          {
            location: at(token.offset),
          },
        ),
      ]);
    }
    const isSeqToken =
      token.type === "block-seq" || (token.type === "flow-collection" && token.start.source === "[");
    token.items.forEach((item, i) => {
      const seg = isSeqToken ? i : keyText(item.key);
      if (item.key) stack.push({ token: item.key, depth: depth + 1, parent: entry, seg });
      if (item.value) stack.push({ token: item.value, depth: depth + 1, parent: entry, seg });
    });
  }
}

/** A key as written, without its quotes, for messages. */
function keyText(key: CST.Token | null | undefined): string {
  if (!key || !("source" in key)) return "?";
  return key.type === "single-quoted-scalar" || key.type === "double-quoted-scalar"
    ? key.source.slice(1, -1)
    : key.source;
}

/** The key written at `offset`, as it reads in the file (quotes included). */
function keyAt(text: string, offset: number): string {
  const m = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\n]*?)\s*:(?:\s|$)/.exec(text.slice(offset));
  return m ? m[1]! : text.slice(offset).split("\n")[0]!;
}

function decodeUtf8(path: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    // The prefix before the bad byte is valid, so lines and columns can be counted in characters.
    const before = new TextDecoder("utf-8").decode(bytes.subarray(0, bad)).replace(/^\uFEFF/, "");
    const lines = before.split("\n");
    const location = { file: path, line: lines.length, column: [...lines[lines.length - 1]!].length + 1 };
    throw new ComposeErrors([
      new ComposeError(
        ErrorCodes.yamlSyntax,
        `the file is not valid UTF-8 (invalid byte 0x${bytes[bad]!.toString(16).padStart(2, "0")}); save it as UTF-8`,
        { location },
      ),
    ]);
  }
}

/** Byte offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let n = 0;
    let min = 0;
    if (b < 0x80) n = 0;
    else if (b >= 0xc2 && b <= 0xdf) n = 1;
    else if (b >= 0xe0 && b <= 0xef) [n, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    let cp = n === 0 ? b : b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (n > 1 && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) return i;
    i += n + 1;
  }
  return bytes.length;
}

/** Returns an alias's target node (undefined when its anchor does not exist), any other node itself. */
type Deref = (node: unknown) => unknown;

/**
 * Resolves every alias in one pass: an alias refers to the last node anchored with its name before it.
 * (yaml's own `Alias.resolve` walks the whole document on each call, which is quadratic.)
 * An alias inside its own anchor's node would make the data infinite: refused, as compose does.
 */
function aliasResolver(doc: Document, at: (offset: number) => SourceLocation): Deref {
  const targets = new Map<Alias, Node | undefined>();
  const anchors = new Map<string, Node>();
  const errors: ComposeError[] = [];
  visit(doc, {
    Node(_, node, ancestors) {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        targets.set(node, target);
        if (target && ancestors.includes(target)) {
          errors.push(
            new ComposeError(ErrorCodes.yamlSyntax, `anchor '${node.source}' value contains itself`, {
              location: at(node.range?.[0] ?? 0),
            }),
          );
        }
      } else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  if (errors.length > 0) throw new ComposeErrors(errors);
  return (node) => (isAlias(node) ? targets.get(node) : node);
}

/**
 * Compose wants string keys everywhere; `<<` merge sources must be mappings; aliases must name an earlier
 * anchor. Aliased content is checked where it is anchored.
 */
function checkKeys(
  deref: Deref,
  node: unknown,
  path: DocPath,
  at: (offset: number) => SourceLocation,
): ComposeError[] {
  const errors: ComposeError[] = [];
  const report = (offset: number | undefined, message: string) =>
    errors.push(new ComposeError(ErrorCodes.yamlSyntax, message, { location: at(offset ?? 0) }));
  const where = () => (path.length === 0 ? "at the top level" : `in ${formatPath(path)}`);
  if (isAlias(node) && !deref(node)) {
    report(node.range?.[0], `unknown alias *${node.source}: define the anchor &${node.source} before it`);
  } else if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      const offset = key?.range?.[0] ?? node.range?.[0];
      if (isMergeKey(key)) {
        if (!isMergeSource(deref, pair.value)) {
          report(offset, `the value of "<<" ${where()} must be a mapping or a list of mappings`);
        }
        errors.push(...checkKeys(deref, pair.value, path, at));
        continue;
      }
      const resolved = deref(key);
      if (isAlias(key) && !resolved) {
        errors.push(...checkKeys(deref, key, path, at));
      } else if (!isScalar(resolved) || typeof resolved.value !== "string") {
        const shown = isScalar(resolved) ? String(resolved.value) : String(key);
        report(offset, `non-string key ${where()}: ${shown}; quote it to make it a string`);
      } else {
        errors.push(...checkKeys(deref, pair.value, [...path, resolved.value], at));
      }
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => errors.push(...checkKeys(deref, item, [...path, i], at)));
  }
  return errors;
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === "symbol" && key.value.description === "<<";
}

function isMergeSource(deref: Deref, value: unknown): boolean {
  const one = (v: unknown) => isMap(deref(v));
  return one(value) || (isSeq(value) && value.items.every(one));
}

function firstAlias(node: unknown): Node | undefined {
  if (isAlias(node)) return node;
  if (isPair(node)) return firstAlias(node.key) ?? firstAlias(node.value);
  if (isMap(node) || isSeq(node)) {
    for (const item of node.items) {
      const found = firstAlias(item);
      if (found) return found;
    }
  }
  return undefined;
}

/** Offset of the value (or its key) at `path`, following aliases and `<<` merges; else of the deepest node found. */
function locateOffset(deref: Deref, root: Node, path: DocPath, which: "key" | "value"): number {
  let node: unknown = root;
  let keyNode: Node | undefined;
  for (const seg of path) {
    const target = deref(node);
    let next: { key?: Node; value: unknown } | undefined;
    if (isMap(target)) next = findInMap(deref, target, String(seg));
    else if (isSeq(target) && typeof seg === "number" && seg < target.items.length) {
      next = { value: target.items[seg] };
    }
    if (!next) break;
    keyNode = next.key ?? (next.value as Node);
    node = next.value;
  }
  const chosen = which === "key" && keyNode ? keyNode : (node as Node | null);
  return chosen?.range?.[0] ?? keyNode?.range?.[0] ?? 0;
}

function findInMap(deref: Deref, map: YAMLMap, seg: string): { key: Node; value: unknown } | undefined {
  for (const pair of map.items) {
    const key = pair.key as Node;
    const resolved = deref(key);
    if (isScalar(resolved) && resolved.value === seg) return { key, value: pair.value };
  }
  // Keys written in the map win over merged ones; earlier merge sources win over later ones.
  for (const pair of map.items) {
    if (!isMergeKey(pair.key)) continue;
    const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
    for (const source of sources) {
      const resolved = deref(source);
      const found = isMap(resolved) ? findInMap(deref, resolved, seg) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}
