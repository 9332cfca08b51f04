/** Prints a tree the way gopkg.in/yaml.v3 (indent 2) does, as docker compose v2.23's `config`. */
import { type Node, orderedEntries } from "./tree.js";
import { analyze, formatScalar } from "./yaml-scalar.js";

export function toYaml(root: Node): string {
  const printer = new YamlPrinter();
  if (root.kind !== "map" || root.entries.length === 0) return `${printer.scalarText(root, 0).trimStart()}\n`;
  printer.mapLines(root, 0);
  return `${printer.out.join("\n")}\n`;
}

class YamlPrinter {
  /** One array of lines for the whole document: joining per level would copy deep trees many times. */
  readonly out: string[] = [];
  /**
   * How each string key and value prints: the same strings recur across services (images, durations,
   * policies, ports), and deciding their style takes several regular expressions.
   */
  private readonly keys = new Map<string, string>();
  private readonly values = new Map<string, string>();

  mapLines(node: Extract<Node, { kind: "map" }>, indent: number): void {
    const pad = " ".repeat(indent);
    for (const [key, value] of orderedEntries(node, "yaml")) {
      this.writeValue(`${pad}${this.format(key, true)}:`, value, indent);
    }
  }

  private seqLines(node: Extract<Node, { kind: "seq" }>, indent: number): void {
    const { out } = this;
    const pad = " ".repeat(indent);
    for (const item of node.items) {
      const start = out.length;
      if (item.kind === "map" && item.entries.length > 0) this.mapLines(item, indent + 2);
      else if (item.kind === "seq" && item.items.length > 0) this.seqLines(item, indent + 2);
      else {
        this.writeValue(`${pad}-`, item, indent);
        continue;
      }
      // A collection in a list starts on the dash's line.
      out[start] = `${pad}- ${(out[start] ?? "").slice(indent + 2)}`;
    }
  }

  /** `head` ("key:" or "-") followed by the value: inline, or a nested block on the next lines. */
  private writeValue(head: string, node: Node, indent: number): void {
    if (node.kind === "map" && node.entries.length > 0) {
      this.out.push(head);
      this.mapLines(node, indent + 2);
    } else if (node.kind === "seq" && node.items.length > 0) {
      this.out.push(head);
      this.seqLines(node, indent + 2);
    } else this.out.push(head + this.scalarText(node, indent));
  }

  /** What follows `key:` or `-` on its line: " scalar", " {}", " []", or a literal block. */
  scalarText(node: Node, indent: number): string {
    if (node.kind === "map") return " {}";
    if (node.kind === "seq") return " []";
    const v = node.value;
    if (typeof v === "string" && v.includes("\n")) {
      const block = literalBlock(v, indent + 2);
      if (block !== undefined) return ` ${block}`;
    }
    return ` ${this.format(v, false)}`;
  }

  private format(v: string | number | boolean | null, isKey: boolean): string {
    if (typeof v !== "string") return formatScalar(v, isKey);
    const cache = isKey ? this.keys : this.values;
    let text = cache.get(v);
    if (text === undefined) {
      text = formatScalar(v, isKey);
      cache.set(v, text);
    }
    return text;
  }
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
