#!/usr/bin/env -S node --
// `--`: node 20 reads `--env-file` anywhere on its command line, even after the script; berth has its own.
// The bundles from `pnpm build` (scripts/bundle.mjs) start faster than the ~100 modules of dist/main.js.
import { fileURLToPath } from "node:url";
import { requireBundle } from "../dist/cached-bundle.js";

const { main } = requireBundle(fileURLToPath(new URL("../dist/berth.cjs", import.meta.url)));
process.exitCode = await main(process.argv.slice(2));
