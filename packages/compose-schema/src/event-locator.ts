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

/**
 * Finds where a value was written from js-yaml's parser events, for the common shapes only: plain
 * scalars and collections without anchors or tags, reached through mappings with no `<<` merge key.
 * For anything else it answers undefined and the caller asks the exact parser. It walks the events
 * along the path only, skipping whole subtrees, so locating one value (a warning on `version:`) does
 * not cost a pass that builds the whole file.
 */
export class EventLocator {
  /** Per event, the index after the subtree it opens (the event after its pop), for skipping it. */
  private next: Int32Array | undefined;
  /** The index of each document's root node. */
  private roots: number[] = [];

  constructor(
    private readonly text: string,
    private readonly events: Event[],
  ) {}

  offset(doc: number, path: DocPath, which: "key" | "value"): number | undefined {
    if (!this.next) this.index();
    let node = this.roots[doc];
    let key: number | undefined;
    if (node === undefined) return undefined;
    for (const seg of path) {
      const event = this.events[node] as Event;
      if (!plainNode(event)) return undefined;
      if (event.type === EVENT_MAPPING) {
        const pair = this.findKey(node, seg);
        if (!pair) return undefined;
        [key, node] = pair;
      } else if (event.type === EVENT_SEQUENCE && typeof seg === "number") {
        const item = this.child(node, seg);
        if (item === undefined) return undefined;
        key = undefined;
        node = item;
      } else return undefined;
    }
    return this.position(which === "key" && key !== undefined ? key : node);
  }

  private index(): void {
    const events = this.events;
    const next = new Int32Array(events.length);
    const open: number[] = [];
    for (let i = 0; i < events.length; i++) {
      const type = (events[i] as Event).type;
      if (type === EVENT_DOCUMENT) {
        this.roots.push(i + 1);
        open.push(i);
      } else if (type === EVENT_MAPPING || type === EVENT_SEQUENCE) open.push(i);
      else if (type === EVENT_POP) {
        const start = open.pop();
        if (start !== undefined) next[start] = i + 1;
      } else next[i] = i + 1;
    }
    this.next = next;
  }

  /** The key and value events of `seg` in the mapping at `map`; undefined where a `<<` may hide it. */
  private findKey(map: number, seg: string | number): [number, number] | undefined {
    const events = this.events;
    const next = this.next as Int32Array;
    let found: [number, number] | undefined;
    for (let k = map + 1; (events[k] as Event).type !== EVENT_POP; ) {
      const v = next[k] as number;
      const keyEvent = events[k] as Event;
      const name = keyEvent.type === EVENT_SCALAR ? getScalarValue(this.text, keyEvent) : undefined;
      if (name === "<<") return undefined;
      if (!found && name === seg && plainNode(keyEvent)) found = [k, v];
      k = next[v] as number;
    }
    return found;
  }

  private child(seq: number, index: number): number | undefined {
    const events = this.events;
    const next = this.next as Int32Array;
    let i = seq + 1;
    for (let n = 0; (events[i] as Event).type !== EVENT_POP; n++) {
      if (n === index) return i;
      i = next[i] as number;
    }
    return undefined;
  }

  /**
   * Where a node is written: at its quote, if it has one. Block scalars (`|`, `>`), aliases and tagged or
   * anchored nodes are left to the exact parser: the events do not give where their indicator is.
   */
  private position(at: number): number | undefined {
    const event = this.events[at] as Event;
    if (!plainNode(event)) return undefined;
    if (event.type === EVENT_MAPPING || event.type === EVENT_SEQUENCE) return event.start;
    if (event.type !== EVENT_SCALAR || event.valueStart < 0) return undefined;
    if (event.style === SCALAR_STYLE.PLAIN) return event.valueStart;
    return QUOTED.has(event.style) ? event.valueStart - 1 : undefined;
  }
}

function plainNode(event: Event): boolean {
  return (
    (event.type === EVENT_MAPPING || event.type === EVENT_SEQUENCE || event.type === EVENT_SCALAR) &&
    event.anchorStart < 0 &&
    event.tagStart < 0
  );
}
