/** Prints a tree the way gopkg.in/yaml.v3 (indent 2) does, as docker compose v2.23's `config`. */
import { type Node, orderedEntries } from "./tree.js";
import { analyze, formatScalar } from "./yaml-scalar.js";

export function toYaml(root: Node): string {
  if (root.kind !== "map" || root.entries.length === 0) return `${scalarText(root, 0).trimStart()}\n`;
  // One array of lines for the whole document: joining per level would copy deep trees many times.
  const out: string[] = [];
  mapLines(root, 0, out);
  return `${out.join("\n")}\n`;
}

function mapLines(node: Extract<Node, { kind: "map" }>, indent: number, out: string[]): void {
  const pad = " ".repeat(indent);
  for (const [key, value] of orderedEntries(node, "yaml")) {
    writeValue(`${pad}${formatScalar(key, true)}:`, value, indent, out);
  }
}

function seqLines(node: Extract<Node, { kind: "seq" }>, indent: number, out: string[]): void {
  const pad = " ".repeat(indent);
  for (const item of node.items) {
    const start = out.length;
    if (item.kind === "map" && item.entries.length > 0) mapLines(item, indent + 2, out);
    else if (item.kind === "seq" && item.items.length > 0) seqLines(item, indent + 2, out);
    else {
      writeValue(`${pad}-`, item, indent, out);
      continue;
    }
    // A collection in a list starts on the dash's line.
    out[start] = `${pad}- ${(out[start] ?? "").slice(indent + 2)}`;
  }
}

/** `head` ("key:" or "-") followed by the value: inline, or a nested block on the next lines. */
function writeValue(head: string, node: Node, indent: number, out: string[]): void {
  if (node.kind === "map" && node.entries.length > 0) {
    out.push(head);
    mapLines(node, indent + 2, out);
  } else if (node.kind === "seq" && node.items.length > 0) {
    out.push(head);
    seqLines(node, indent + 2, out);
  } else out.push(head + scalarText(node, indent));
}

/** What follows `key:` or `-` on its line: " scalar", " {}", " []", or a literal block. */
function scalarText(node: Node, indent: number): string {
  if (node.kind === "map") return " {}";
  if (node.kind === "seq") return " []";
  const v = node.value;
  if (typeof v === "string" && v.includes("\n")) {
    const block = literalBlock(v, indent + 2);
    if (block !== undefined) return ` ${block}`;
  }
  return ` ${formatScalar(v, false)}`;
}

/** yaml.v3 prints multi-line strings as literal blocks (`|`, `|-`, `|+`) when the text allows it. */
function literalBlock(s: string, indent: number): string | undefined {
  const a = analyze(s);
  if (!a.blockAllowed) return undefined;
  const pad = " ".repeat(indent);
  const hint = s.startsWith(" ") || s.startsWith("\n") ? "2" : "";
  const chomp = !s.endsWith("\n") ? "-" : s.endsWith("\n\n") || s === "\n" ? "+" : "";
  const body = s.endsWith("\n") ? s.slice(0, -1) : s;
  const lines = body.split("\n").map((l) => (l === "" ? "" : pad + l));
  return `|${hint}${chomp}\n${lines.join("\n")}`;
}
