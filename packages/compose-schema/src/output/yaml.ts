/** Prints a tree the way gopkg.in/yaml.v3 (indent 2) does, as docker compose v2.23's `config`. */
import { type Node, orderedEntries } from "./tree.js";
import { analyze, formatScalar } from "./yaml-scalar.js";

export function toYaml(root: Node): string {
  if (root.kind !== "map" || root.entries.length === 0) return `${inlineValue(root, 0).trimStart()}\n`;
  return mapLines(root, 0).join("\n") + "\n";
}

function mapLines(node: Extract<Node, { kind: "map" }>, indent: number): string[] {
  const pad = " ".repeat(indent);
  const lines: string[] = [];
  for (const [key, value] of orderedEntries(node, "yaml")) {
    lines.push(`${pad}${formatScalar(key, true)}:${inlineValue(value, indent)}`);
  }
  return lines;
}

function seqLines(node: Extract<Node, { kind: "seq" }>, indent: number): string[] {
  const pad = " ".repeat(indent);
  const lines: string[] = [];
  for (const item of node.items) {
    if (item.kind === "map" && item.entries.length > 0) {
      const inner = mapLines(item, indent + 2);
      lines.push(`${pad}- ${(inner[0] ?? "").slice(indent + 2)}`, ...inner.slice(1));
    } else if (item.kind === "seq" && item.items.length > 0) {
      const inner = seqLines(item, indent + 2);
      lines.push(`${pad}- ${(inner[0] ?? "").slice(indent + 2)}`, ...inner.slice(1));
    } else {
      lines.push(`${pad}-${inlineValue(item, indent)}`);
    }
  }
  return lines;
}

/** What follows `key:` or `-`: " scalar", " {}", or a nested block on the next lines. */
function inlineValue(node: Node, indent: number): string {
  if (node.kind === "map")
    return node.entries.length === 0 ? " {}" : `\n${mapLines(node, indent + 2).join("\n")}`;
  if (node.kind === "seq")
    return node.items.length === 0 ? " []" : `\n${seqLines(node, indent + 2).join("\n")}`;
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
