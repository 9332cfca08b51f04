#!/usr/bin/env -S node --
// `--`: node 20 reads `--env-file` anywhere on its command line, even after the script; berth has its own.
// CommonJS (bin/package.json): an ES module entry starts Node's module loader, ~20 ms of CPU per process.
// The bundles from `pnpm build` (scripts/bundle.mjs) start faster than the ~100 modules of dist/main.js.
const { requireBundle } = require("../dist/cached-bundle.cjs");

const argv = process.argv.slice(2);
// `berth version` and `--version` need neither the CLI's bundle nor commander: a small bundle answers them.
const { versionOnlyOutput } = requireBundle(require.resolve("../dist/version-only.cjs"));
const version = versionOnlyOutput(argv, process.env);
if (version === undefined) requireBundle(require.resolve("../dist/berth.cjs")).main(argv).then(exit);
else {
  process.stdout.write(version);
  exit(0);
}

// The command is done when main returns: exit now instead of waiting ~10 ms for Node's teardown (V8's
// background GC work), unless output is still queued (pipes are asynchronous on some platforms).
function exit(code) {
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code);
  process.exitCode = code;
}
