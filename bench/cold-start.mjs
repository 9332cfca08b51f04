// Cold start of the `berth` command: `berth version` and `berth config -q` on a small file, each run as a
// fresh process N times, side by side in the same run with docker-compose v1.29 (Debian's Python one).
//   node bench/cold-start.mjs [--runs 20] [--check]
// With --check, exits 1 when Berth's median for either command is over the target.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUSYBOX, formatMs, median, numberOption, timeRuns } from "./lib.mjs";

const TARGET_MS = 120;
const args = process.argv.slice(2);
const RUNS = numberOption("--runs", 20);
const CHECK = args.includes("--check");
const BERTH = new URL("../packages/cli/bin/berth.js", import.meta.url).pathname;
const COMPOSE_V1 = "/usr/bin/docker-compose";

const dir = mkdtempSync(join(tmpdir(), "berth-bench-cold-"));
writeFileSync(
  join(dir, "compose.yaml"),
  `services:\n  web:\n    image: ${BUSYBOX}\n    ports: ["8080:80"]\n    environment: [MODE=dev]\n  db:\n    image: ${BUSYBOX}\n    volumes: [data:/data]\nvolumes:\n  data: {}\n`,
);

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const cases = [
  { name: "version", berth: ["version"], v1: ["version"] },
  { name: "config -q", berth: ["config", "-q"], v1: ["config", "-q"] },
];

let missed = false;
try {
  console.log(`cold start, ${RUNS} runs each (mean / median)`);
  // The floor: a Node process that does nothing, measured the same way on the same (maybe busy) machine.
  const floor = timeRuns(process.execPath, ["-e", "0"], { cwd: dir, runs: RUNS });
  console.log(`  node -e 0  ${formatMs(mean(floor))} / ${formatMs(median(floor))}`);
  for (const c of cases) {
    const berth = timeRuns(process.execPath, [BERTH, ...c.berth], { cwd: dir, runs: RUNS });
    const v1 = timeRuns(COMPOSE_V1, c.v1, { cwd: dir, runs: RUNS });
    const ok = median(berth) <= TARGET_MS;
    if (!ok) missed = true;
    console.log(
      `  ${c.name.padEnd(10)} berth ${formatMs(mean(berth))} / ${formatMs(median(berth))}   ` +
        `docker-compose 1.29 ${formatMs(mean(v1))} / ${formatMs(median(v1))}   ` +
        `${(median(v1) / median(berth)).toFixed(1)}x   target ${TARGET_MS} ms ${ok ? "met" : "MISSED"}`,
    );
  }
  console.log(`summary: cold start ${missed ? "over" : "within"} the ${TARGET_MS} ms target (median)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (CHECK && missed) process.exit(1);
