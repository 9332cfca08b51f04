/** Prints a tree the way Go's encoding/json does, as docker compose v2.23's `config --format json`. */
import { type Node, orderedEntries } from "./tree.js";
import { formatNumber } from "./yaml-scalar.js";

/** Compact JSON as Go's encoding/json writes it (HTML characters escaped, struct fields in order). */
export function toJson(node: Node): string {
  if (node.kind === "map") {
    return `{${orderedEntries(node, "json")
      .map(([k, v]) => `${jsonString(k)}:${toJson(v)}`)
      .join(",")}}`;
  }
  if (node.kind === "seq") return `[${node.items.map(toJson).join(",")}]`;
  const v = node.value;
  if (typeof v === "string") return jsonString(v);
  if (typeof v === "number") return formatNumber(v);
  return String(v);
}

function jsonString(s: string): string {
  return JSON.stringify(s)
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e")
    .replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}
