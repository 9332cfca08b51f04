import {
  EVENT_ALIAS,
  EVENT_DOCUMENT,
  EVENT_MAPPING,
  EVENT_POP,
  EVENT_SCALAR,
  EVENT_SEQUENCE,
  type Event,
  SCALAR_STYLE,
  getScalarValue,
} from "js-yaml";
import type { DocPath } from "./source.js";

const QUOTED = new Set<number>([SCALAR_STYLE.SINGLE_QUOTED, SCALAR_STYLE.DOUBLE_QUOTED]);

/** A node of one document, as far as finding positions needs. */
type Tree =
  | { kind: "scalar"; offset: number; key?: string }
  | { kind: "map"; offset: number; pairs: [Tree, Tree][]; plain: boolean }
  | { kind: "seq"; offset: number; items: Tree[] }
  | { kind: "other" };

/**
 * Finds where a value was written from js-yaml's parser events, for the common shapes only: plain
 * scalars and collections without anchors or tags, reached through mappings with no `<<` merge key.
 * For anything else it answers undefined and the caller asks the exact parser.
 */
export class EventLocator {
  private docs: Tree[] | undefined;

  constructor(
    private readonly text: string,
    private readonly events: Event[],
  ) {}

  offset(doc: number, path: DocPath, which: "key" | "value"): number | undefined {
    this.docs ??= buildTrees(this.text, this.events);
    let node: Tree | undefined = this.docs[doc];
    let key: Tree | undefined;
    for (const seg of path) {
      if (node?.kind === "map" && node.plain) {
        const pair: [Tree, Tree] | undefined = node.pairs.find(([k]) => k.kind === "scalar" && k.key === seg);
        [key, node] = pair ?? [undefined, undefined];
      } else if (node?.kind === "seq" && typeof seg === "number") {
        key = undefined;
        node = node.items[seg];
      } else return undefined;
    }
    const chosen = which === "key" && key ? key : node;
    return chosen && chosen.kind !== "other" ? chosen.offset : undefined;
  }
}

function buildTrees(text: string, events: Event[]): Tree[] {
  const docs: Tree[] = [];
  // Open collections, each with the children read so far.
  const stack: { tree: Tree; children: Tree[] }[] = [];
  const add = (tree: Tree) => stack[stack.length - 1]?.children.push(tree);
  for (const event of events) {
    switch (event.type) {
      case EVENT_DOCUMENT:
        stack.push({ tree: { kind: "other" }, children: [] });
        break;
      case EVENT_MAPPING:
      case EVENT_SEQUENCE: {
        const plain = event.anchorStart < 0 && event.tagStart < 0;
        const tree: Tree = !plain
          ? { kind: "other" }
          : event.type === EVENT_MAPPING
            ? { kind: "map", offset: event.start, pairs: [], plain: true }
            : { kind: "seq", offset: event.start, items: [] };
        stack.push({ tree, children: [] });
        break;
      }
      case EVENT_SCALAR: {
        // A scalar's position is where it is written: at its quote, if it has one. Block scalars
        // (`|`, `>`) start at their indicator, which the events do not give.
        const quote = event.style === SCALAR_STYLE.PLAIN ? 0 : QUOTED.has(event.style) ? 1 : -1;
        const plain = event.anchorStart < 0 && event.tagStart < 0 && event.valueStart >= 0 && quote >= 0;
        add(
          plain
            ? { kind: "scalar", offset: event.valueStart - quote, key: getScalarValue(text, event) }
            : { kind: "other" },
        );
        break;
      }
      case EVENT_ALIAS:
        add({ kind: "other" });
        break;
      case EVENT_POP: {
        const done = stack.pop();
        if (!done) break;
        const { tree, children } = done;
        if (tree.kind === "map") {
          for (let i = 0; i + 1 < children.length; i += 2) {
            const k = children[i] as Tree;
            if (k.kind === "scalar" && k.key === "<<") tree.plain = false;
            tree.pairs.push([k, children[i + 1] as Tree]);
          }
        } else if (tree.kind === "seq") tree.items.push(...children);
        if (stack.length === 0) docs.push(children[0] ?? { kind: "other" });
        else add(tree);
        break;
      }
    }
  }
  return docs;
}
