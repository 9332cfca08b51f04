import type { SourceLocation } from "./errors.js";
import { type DocPath, Locator, type SourceFile } from "./source.js";

interface Link {
  prefix: DocPath;
  source: SourceFile;
  sourcePrefix: DocPath;
}

/**
 * A Locator that can also find one entry of a map that may have been written as a list
 * (`networks: [a, b]`, `depends_on: [db]`): canonicalization turned the list into a map, so the entry's
 * path in the merged model does not exist in the file.
 */
export class EntryLocator extends Locator {
  private readonly sources: SourceFile[] = [];
  private readonly links: Link[] = [];

  override addFile(file: SourceFile): void {
    super.addFile(file);
    this.sources.push(file);
  }

  override alias(prefix: DocPath, source: SourceFile, sourcePrefix: DocPath): void {
    super.alias(prefix, source, sourcePrefix);
    this.links.push({ prefix, source, sourcePrefix });
  }

  /** Where `key` of the map at `parent` was written: its key, or the list item naming it. */
  locateEntry(parent: DocPath, key: string): SourceLocation | undefined {
    const candidates: [SourceFile, DocPath][] = [...this.sources].reverse().map((f) => [f, parent]);
    for (const link of [...this.links].reverse()) {
      if (link.prefix.length <= parent.length && link.prefix.every((seg, i) => parent[i] === seg)) {
        candidates.push([link.source, [...link.sourcePrefix, ...parent.slice(link.prefix.length)]]);
      }
    }
    for (const [file, path] of candidates) {
      const raw = valueAt(file.data, path);
      if (Array.isArray(raw)) {
        const index = raw.findIndex((v) => String(v) === key);
        if (index >= 0) return file.locate([...path, index]);
      } else if (typeof raw === "object" && raw !== null && Object.hasOwn(raw, key)) {
        return file.locate([...path, key], "key");
      }
    }
    return this.locate([...parent, key], "key");
  }
}

function valueAt(data: unknown, path: DocPath): unknown {
  let cur = data;
  for (const seg of path) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[String(seg)];
  }
  return cur;
}
