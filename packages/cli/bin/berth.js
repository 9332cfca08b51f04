#!/usr/bin/env -S node --
// `--`: node 20 reads `--env-file` anywhere on its command line, even after the script; berth has its own.
// The bundle from `pnpm build` (scripts/bundle.mjs) starts faster than the ~100 modules of dist/main.js.
import { main } from "../dist/berth.mjs";

process.exitCode = await main(process.argv.slice(2));
