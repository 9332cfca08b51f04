import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, posix, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The engine's layers and what each may import (DEVELOPERS.md, "Engine layers"): arrows point down only.
// `index.ts` (the public API) sits above them all and nothing imports it.
const MAY_IMPORT: Record<string, readonly string[]> = {
  base: ["base"],
  core: ["base", "core"],
  testing: ["base", "core", "testing"],
  swarm: ["base", "core", "swarm"],
};

const SRC = dirname(fileURLToPath(import.meta.url));

/** The layer of a path relative to src/ (posix separators): its first folder, or "index" at the top. */
function layerOf(path: string): string {
  const slash = path.indexOf("/");
  return slash < 0 ? "index" : path.slice(0, slash);
}

const RELATIVE_IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;

/** Every import of `source` (a module at `path` under src/) that crosses the arrows, as "from -> to". */
function violations(path: string, source: string): string[] {
  const from = layerOf(path);
  const found: string[] = [];
  for (const [, spec] of source.matchAll(RELATIVE_IMPORT)) {
    const target = posix.normalize(posix.join(posix.dirname(path), spec));
    const to = layerOf(target);
    if (from === "index" || target.startsWith("..")) continue;
    if (!MAY_IMPORT[from]?.includes(to)) found.push(`${path} -> ${target}`);
  }
  return found;
}

const modules = readdirSync(SRC, { recursive: true, encoding: "utf8" })
  .map((file) => relative(SRC, join(SRC, file)).split(sep).join("/"))
  .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"));

describe("engine layers", () => {
  it("every module lives in a layer's folder", () => {
    expect(modules.length).toBeGreaterThan(100);
    expect(modules.filter((m) => !(layerOf(m) in MAY_IMPORT) && m !== "index.ts")).toEqual([]);
  });

  it("imports point down only: base imports no layer above, core no test stacks or Swarm, those two not each other", () => {
    const crossing = modules.flatMap((m) => violations(m, readFileSync(join(SRC, m), "utf8")));
    expect(crossing).toEqual([]);
  });

  it("sees an upward import, a sideways one and a dynamic one", () => {
    expect(violations("base/labels.ts", 'import { up } from "../core/up.js";')).toEqual([
      "base/labels.ts -> core/up.js",
    ]);
    expect(
      violations("swarm/deploy.ts", 'import { TestStack } from "../testing/test-stack.js";'),
    ).toHaveLength(1);
    expect(violations("core/up.ts", 'const s = await import("../swarm/deploy.js");')).toHaveLength(1);
    expect(violations("core/up.ts", 'import { Labels } from "../base/labels.js";')).toEqual([]);
  });
});
