// Bundles the compiled CLI (dist/main.js, from `tsc -b`) into dist/berth.mjs plus lazily loaded chunks:
// one file to load instead of ~100 modules makes `berth` start faster. Each command, the engine and the
// compose loader stay separate chunks, loaded by the dynamic imports in program.ts.
import { readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const cli = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(cli, "dist");

// Chunks of an earlier build would pile up, since their names carry a content hash.
for (const name of readdirSync(dist)) if (name.endsWith(".mjs")) rmSync(join(dist, name));

// dockerode (through ssh2) requires optional native addons that cannot be bundled; it stays an external
// module, imported by its path relative to dist/ because pnpm only links it under packages/engine.
const fromEngine = createRequire(join(cli, "../engine/package.json"));
const dockerode = relative(dist, fromEngine.resolve("dockerode")).split("\\").join("/");

await build({
  entryPoints: { berth: join(dist, "main.js") },
  outdir: dist,
  // Chunks sit beside the entry in dist/, where version.ts finds ../package.json.
  chunkNames: "chunk-[hash]",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // The bundled CommonJS modules (yaml, commander, ...) call require() for Node's built-in modules.
  banner: {
    js: 'import { createRequire as __berthCreateRequire } from "node:module"; const require = __berthCreateRequire(import.meta.url);',
  },
  plugins: [
    {
      name: "external-dockerode",
      setup(b) {
        b.onResolve({ filter: /^dockerode$/ }, () => ({ path: dockerode, external: true }));
      },
    },
  ],
  logLevel: "warning",
});
