/** A `cache_from`/`cache_to` entry: `type=local,src=dir`, `type=inline`, or a bare image reference. */
export interface CacheEntry {
  type: string;
  attrs: Record<string, string>;
}

/** buildx's CSV syntax; an entry without `=` is an image reference (`type=registry,ref=…`). */
export function parseCacheEntry(entry: string): CacheEntry {
  if (!entry.includes("=")) return { type: "registry", attrs: { ref: entry } };
  const attrs: Record<string, string> = {};
  for (const part of entry.split(",")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    attrs[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  const { type = "registry", ...rest } = attrs;
  return { type, attrs: rest };
}
