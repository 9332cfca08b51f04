// Bundles the compiled CLI (dist/main.js, from `tsc -b`) and the two packages it loads, each into one
// CommonJS script in dist/: berth.cjs (the CLI), compose-schema.cjs and engine.cjs. bin/berth.js runs them
// through src/cached-bundle.ts, which gives each V8's code cache (dist/*.cjs.cache); this script ends with
// a warm-up `berth config` that writes the caches of the CLI and the loader. One script per package keeps
// `berth version` from reading the loader's cache, and the loader's from holding the engine's code.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const cli = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(cli, "dist");
const fromCli = createRequire(join(cli, "package.json"));

// Bundles and caches of an earlier build (and the ESM chunks of older ones) would be stale.
for (const name of readdirSync(dist)) if (/\.(mjs|cjs|cache)$/.test(name)) rmSync(join(dist, name));

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

const lazyDockerodeParts = {
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
};

// Eager costs of three dependencies that every command paid at start-up, rewritten in the bundle (the build
// fails if a new version changed the text, so the rewrite cannot silently stop applying):
// - docker-modem formats every request's options with a deep util.inspect for its debug log, even when
//   that log is off (~1-2 ms of CPU per engine call): now only when DEBUG turns the log on;
// - dockerode's util.js requires tar-fs (and tar-stream) at load, for builds only: now on first use;
// - commander requires node:child_process (~7 ms) at load, for executable subcommands Berth has none of.
const eagerParts = [
  {
    file: join(modemDir, "lib/modem.js"),
    from: "debug('Sending: %s', util.inspect(",
    to: "if (debug.enabled) debug('Sending: %s', util.inspect(",
  },
  {
    file: fromCli.resolve("commander").replace(/index\.js$/, "lib/command.js"),
    from: "const childProcess = require('node:child_process');",
    to: "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };",
  },
  {
    file: join(dockerodeDir, "lib/util.js"),
    from: "var tar = require('tar-fs');",
    to: "var tar = { pack: function () { return require('tar-fs').pack.apply(this, arguments); } };",
  },
];
const rewritten = new Set();
const lazierDependencies = {
  name: "lazier-dependencies",
  setup(b) {
    for (const { file, from, to } of eagerParts) {
      b.onLoad({ filter: new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`) }, () => {
        const source = readFileSync(file, "utf8");
        if (source.split(from).length !== 2) throw new Error(`bundling: ${file} no longer contains ${from}`);
        rewritten.add(file);
        return { contents: source.replace(from, to), loader: "js" };
      });
    }
  },
};

// The engine's BuildKit session loads gRPC and protobuf with its first build, through a dynamic import.
// They are one bundle of their own, dist/session-vendor.cjs, which cached-bundle.ts runs with a code cache
// like the others: required file by file from node_modules they cost ~140 ms of CPU per build (hundreds
// of files found, read and compiled), as a bundle with its cache ~55 ms (~20 of it Node's own http2).
// ssh2 (for ssh key files only) stays unbundled, required by its path relative to dist/: it holds optional
// native addons esbuild cannot bundle.
const vendorModules = { "@grpc/grpc-js": "grpc", protobufjs: "protobuf" };
const sessionVendor = `module.exports = { grpc: require("@grpc/grpc-js"), protobuf: require("protobufjs") };`;
const ssh2 = fromDist(fromEngine.resolve("ssh2"));
const lazySessionDependencies = {
  name: "lazy-session-dependencies",
  setup(b) {
    b.onResolve({ filter: /^(@grpc\/grpc-js|protobufjs|ssh2)$/ }, (args) => {
      if (!args.importer.includes("/engine/dist/core/buildkit/")) return undefined;
      if (args.path === "ssh2") return { path: ssh2, external: true };
      return { path: args.path, namespace: "session-vendor" };
    });
    b.onResolve({ filter: /.*/, namespace: "session-vendor" }, (args) => ({
      path: args.path,
      external: true,
    }));
    b.onLoad({ filter: /.*/, namespace: "session-vendor" }, (args) => ({
      contents: `module.exports = require("./session-vendor.cjs").${vendorModules[args.path]};`,
      loader: "js",
    }));
  },
};

/**
 * Bundles `entry` (a file, or `{ contents, resolveDir }`) into dist/`name`.cjs; the packages in `external`
 * come from their own bundles.
 */
async function bundle(name, entry, external, plugins = []) {
  const result = await build({
    ...(typeof entry === "string" ? { entryPoints: [entry] } : { stdin: { ...entry, loader: "js" } }),
    outfile: join(dist, `${name}.cjs`),
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    // `import()` becomes `require()`: a vm.Script has no module loader, and lazy parts stay lazy.
    supported: { "dynamic-import": false },
    // cached-bundle.ts passes the bundle's own URL (version.ts finds ../package.json from it).
    define: { "import.meta.url": "__importMetaUrl" },
    external,
    plugins,
    logLevel: "silent",
    // A third less source to read and hash on every start (no-op `up`: ~40 ms less); names are kept, so
    // stack traces (--verbose) still name the functions.
    minifyWhitespace: true,
    minifySyntax: true,
  });
  if (result.warnings.length > 0)
    throw new Error(`bundling ${name}: ${result.warnings.map((w) => w.text).join("; ")}`);
}

// The loader itself, as CommonJS too: bin/berth.js then needs no ES module but node:module, whose ESM
// facades of fs, vm and path cost ~5 ms per process.
await bundle("cached-bundle", join(dist, "cached-bundle.js"), []);
// What `berth version` and `--version` print, without the CLI's bundle (bin/berth.js asks it first).
await bundle("version-only", join(dist, "version-only.js"), []);
await bundle(
  "berth",
  join(dist, "main.js"),
  ["@berth/compose-schema", "@berth/engine"],
  [lazierDependencies],
);
await bundle("compose-schema", fromCli.resolve("@berth/compose-schema"), []);
await bundle(
  "engine",
  fromCli.resolve("@berth/engine"),
  ["@berth/compose-schema"],
  [lazyDockerodeParts, lazierDependencies, lazySessionDependencies],
);
await bundle("session-vendor", { contents: sessionVendor, resolveDir: join(cli, "../engine") }, []);
for (const { file } of eagerParts)
  if (!rewritten.has(file)) throw new Error(`bundling: ${file} was not bundled`);

// The warm-up: what a `config` run compiles is what the caches hold.
execFileSync(
  process.execPath,
  [join(cli, "bin/berth.js"), "--project-directory", join(cli, "scripts/warm-up"), "config"],
  {
    stdio: ["ignore", "ignore", "inherit"],
  },
);
