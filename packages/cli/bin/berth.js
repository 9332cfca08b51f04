#!/usr/bin/env -S node --
// `--`: node 20 reads `--env-file` anywhere on its command line, even after the script; berth has its own.
// The bundles from `pnpm build` (scripts/bundle.mjs) start faster than the ~100 modules of dist/main.js.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { requireBundle } = require("../dist/cached-bundle.cjs");
const { main } = requireBundle(require.resolve("../dist/berth.cjs"));
const code = await main(process.argv.slice(2));
// The command is done when main returns: exit now instead of waiting ~10 ms for Node's teardown (V8's
// background GC work), unless output is still queued (pipes are asynchronous on some platforms).
if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code);
process.exitCode = code;
