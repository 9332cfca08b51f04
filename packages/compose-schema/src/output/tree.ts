/** The document `config` prints, as a tree the YAML and JSON printers share. */

export type Node =
  | { kind: "map"; entries: [string, Node][]; sorted: boolean }
  | { kind: "seq"; items: Node[] }
  | { kind: "scalar"; value: string | number | boolean | null };

export const scalar = (value: string | number | boolean | null): Node => ({ kind: "scalar", value });

/** yaml.v3's order of map keys: runs of digits compare as numbers, letters after other characters. */
export function yamlKeyLess(a: string, b: string): boolean {
  // Code points, not UTF-16 units; ASCII strings (nearly every key) are indexed as they are.
  const ar = ascii.test(a) ? a : [...a];
  const br = ascii.test(b) ? b : [...b];
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i] as string;
    const bc = br[i] as string;
    if (ac === bc) {
      digits = isDigit(ac);
      continue;
    }
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return ac < bc;
    if (al || bl) return digits ? al : bl;
    let an = 0;
    let bn = 0;
    if (ac === "0" || bc === "0") {
      for (let j = i - 1; j >= 0 && isDigit(ar[j] as string); j--) {
        if (ar[j] !== "0") {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai] as string); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi] as string); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ac < bc;
  }
  return ar.length < br.length;
}

const ascii = /^[\x00-\x7f]*$/;
const isDigit = (c: string) => (c >= "0" && c <= "9") || (c > "\x7f" && /\p{Nd}/u.test(c));
const isLetter = (c: string) =>
  (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c > "\x7f" && /\p{L}/u.test(c));

/** The entries of a map in yaml.v3's key order. */
export function sortedEntries(node: Extract<Node, { kind: "map" }>): [string, Node][] {
  return orderedEntries({ ...node, sorted: true }, "yaml");
}

/** A map's entries in the printer's order: as built for structs, sorted for maps. */
export function orderedEntries(
  node: Extract<Node, { kind: "map" }>,
  order: "yaml" | "json",
): [string, Node][] {
  if (!node.sorted) return node.entries;
  // yamlKeyLess orders distinct keys totally: one call decides each comparison.
  const cmp =
    order === "yaml"
      ? (a: [string, Node], b: [string, Node]) => (a[0] === b[0] ? 0 : yamlKeyLess(a[0], b[0]) ? -1 : 1)
      : (a: [string, Node], b: [string, Node]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return [...node.entries].sort(cmp);
}
