import type { SourceLocation } from "./errors.js";

/** A path into a compose document: `["services", "web", "ports", 1]`. */
export type DocPath = readonly (string | number)[];

/** Renders a path the way errors show it: `services.web.ports[1]`. */
export function formatPath(path: DocPath): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? seg : `.${seg}`;
  }
  return out;
}

/** Whether `path` fits `pattern`, segment by segment: `*` is any key, `[]` any index. */
export function pathMatches(pattern: readonly string[], path: DocPath): boolean {
  return (
    pattern.length === path.length &&
    pattern.every((p, i) => {
      const seg = path[i];
      if (p === "[]") return typeof seg === "number";
      return typeof seg === "string" && (p === "*" || p === seg);
    })
  );
}

/** One parsed compose file: its plain data and a way back to where each value was written. */
export interface SourceFile {
  /** Absolute path, or "-" for stdin. */
  path: string;
  /** The document as plain JS data (anchors, aliases and `<<` merge keys resolved). */
  data: unknown;
  /**
   * Location of the value at `path` (or of its key, with `"key"`), or of the deepest
   * enclosing node that exists when `path` does not.
   */
  locate(path: DocPath, which?: "key" | "value"): SourceLocation;
}

/**
 * Finds where a value of the *merged* project was written. Files are searched from the last one
 * loaded to the first (the one whose value won the merge), and `extends`/`include` register the
 * place their services came from, so that an error found late still names the right file.
 */
export class Locator {
  private readonly files: SourceFile[] = [];
  private readonly aliases: { prefix: DocPath; source: SourceFile; sourcePrefix: DocPath }[] = [];

  addFile(file: SourceFile): void {
    this.files.push(file);
  }

  /** Values under `prefix` of the merged model were written under `sourcePrefix` of `source`. */
  alias(prefix: DocPath, source: SourceFile, sourcePrefix: DocPath): void {
    this.aliases.push({ prefix, source, sourcePrefix });
  }

  locate(path: DocPath, which: "key" | "value" = "value"): SourceLocation | undefined {
    for (const file of [...this.files].reverse()) {
      if (hasPath(file.data, path)) return file.locate(path, which);
    }
    for (const a of [...this.aliases].reverse()) {
      if (startsWith(path, a.prefix)) {
        const mapped = [...a.sourcePrefix, ...path.slice(a.prefix.length)];
        if (hasPath(a.source.data, mapped)) return a.source.locate(mapped, which);
      }
    }
    // Nothing holds the exact path: the deepest enclosing node in the last file that has a prefix of it.
    for (let n = path.length - 1; n >= 0; n--) {
      const prefix = path.slice(0, n);
      for (const file of [...this.files].reverse()) {
        if (hasPath(file.data, prefix)) return file.locate(prefix, which);
      }
    }
    return undefined;
  }
}

function startsWith(path: DocPath, prefix: DocPath): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);
}

export function hasPath(data: unknown, path: DocPath): boolean {
  let cur: unknown = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return false;
    if (Array.isArray(cur)) {
      if (typeof seg !== "number" || seg >= cur.length) return false;
      cur = cur[seg];
    } else {
      if (!Object.hasOwn(cur, seg)) return false;
      cur = (cur as Record<string, unknown>)[String(seg)];
    }
  }
  return true;
}
