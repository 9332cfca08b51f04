import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Script } from "node:vm";

/**
 * Loads the CommonJS bundles that `scripts/bundle.mjs` writes (the CLI, the compose loader, the engine)
 * with V8's code cache: compiling the loader's ~900 kB and interpreting its functions cold is a large
 * part of a short command. Node 20 has no module compile cache, so each bundle runs as a `vm.Script`
 * whose cache is the file beside it with `.cache` appended. The build writes the caches (a warm-up run);
 * a missing cache, or one V8 rejects (another Node version or V8 flags), is written again when the
 * process exits, best effort: a read-only install simply runs without one.
 */

/** The other packages a bundle imports; each is the bundle named after it (`@berth/engine`: engine.cjs). */
const PACKAGE = "@berth/";
/** A bundle required by its file name (`./session-vendor.cjs`): another bundle of the same folder. */
const SIBLING = /^\.\/[\w-]+\.cjs$/;

const loaded = new Map<string, unknown>();

/** The exports of the bundle `file` (an absolute path), evaluated once per process. */
export function requireBundle(file: string): unknown {
  const hit = loaded.get(file);
  if (hit) return hit;
  const source = readFileSync(file, "utf8");
  const cacheFile = `${file}.cache`;
  const cachedData = readIfPresent(cacheFile);
  // The same wrapper as Node's own CommonJS loader, plus the file's URL for the bundles' `import.meta.url`.
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname, __importMetaUrl) {${source}\n})`,
    { filename: file, cachedData },
  );
  if (!cachedData || script.cachedDataRejected) process.once("exit", () => writeCache(script, cacheFile));
  const nodeRequire = createRequire(file);
  const dir = path.dirname(file);
  const require = (id: string) => {
    if (id.startsWith(PACKAGE)) return requireBundle(path.join(dir, `${id.slice(PACKAGE.length)}.cjs`));
    return SIBLING.test(id) ? requireBundle(path.join(dir, id)) : nodeRequire(id);
  };
  const module = { exports: {} as unknown };
  script.runInThisContext()(module.exports, require, module, file, dir, pathToFileURL(file).href);
  loaded.set(file, module.exports);
  return module.exports;
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes the cache of what this process compiled; renamed into place so that readers never see half. */
function writeCache(script: Script, cacheFile: string): void {
  const temp = `${cacheFile}.${process.pid}`;
  try {
    writeFileSync(temp, script.createCachedData());
    renameSync(temp, cacheFile);
  } catch {
    // Not writable (an installed copy owned by another user): run without a cache.
    rmSync(temp, { force: true });
  }
}
