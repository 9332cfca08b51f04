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

// dockerode is bundled, but three of its parts load large dependency trees that only rare cases use:
// docker-modem's ssh transport (ssh2, for ssh:// hosts) and dockerode's BuildKit session and progress
// (gRPC and protobuf, for BuildKit builds). They stay unbundled and load on first use, by their path
// relative to dist/ because pnpm only links them under packages/engine.
const fromEngine = createRequire(join(cli, "../engine/package.json"));
const dockerodeDir = dirname(fromEngine.resolve("dockerode/package.json"));
const fromDockerode = createRequire(join(dockerodeDir, "package.json"));
const modemDir = dirname(fromDockerode.resolve("docker-modem/package.json"));
const lazyModules = new Set([join(modemDir, "lib/ssh.js"), join(dockerodeDir, "lib/session.js")]);
const buildkit = join(dockerodeDir, "lib/buildkit.js");
const fromDist = (file) => `./${relative(dist, file).split("\\").join("/")}`;

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
      name: "lazy-dockerode-parts",
      setup(b) {
        b.onResolve({ filter: /^\.\/(ssh|session|buildkit)$/ }, (args) => {
          const file = join(args.resolveDir, `${args.path}.js`);
          // dockerode requires buildkit.js only inside the function that uses it: no stub needed.
          if (file === buildkit) return { path: fromDist(file), external: true };
          return lazyModules.has(file) ? { path: file, namespace: "lazy" } : undefined;
        });
        b.onResolve({ filter: /.*/, namespace: "lazy" }, (args) => ({ path: args.path, external: true }));
        b.onLoad({ filter: /.*/, namespace: "lazy" }, (args) => ({
          contents: `module.exports = function () { return require(${JSON.stringify(fromDist(args.path))}).apply(this, arguments); };`,
          loader: "js",
        }));
      },
    },
  ],
  logLevel: "warning",
});
