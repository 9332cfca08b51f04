// Cold start of the `berth` command: `berth version` and `berth config -q` on a small file, each run as a
// fresh process N times, side by side in the same run with a bare `node -e 0` and, when it is installed,
// docker-compose v1.29 (Debian's Python one).
//   node bench/cold-start.mjs [--runs 20] [--check]
// With --check, exits 1 when Berth's median for either command is over the target.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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

// Each command takes its turn once per round (after one warm-up each), so that a slow spell of the
// machine slows them alike; the ratios to a bare `node -e 0` of the same rounds are what to compare.
const commands = [
  ["node -e 0", process.execPath, ["-e", "0"]],
  ["berth version", process.execPath, [BERTH, "version"]],
  ["berth config -q", process.execPath, [BERTH, "config", "-q"]],
  ["docker-compose 1.29 version", COMPOSE_V1, ["version"]],
  ["docker-compose 1.29 config -q", COMPOSE_V1, ["config", "-q"]],
].filter(([, file]) => file === process.execPath || existsSync(file));

let missed = false;
try {
  for (const [, file, argv] of commands) timeRuns(file, argv, { cwd: dir, runs: 0 });
  const times = commands.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    commands.forEach(([, file, argv], c) =>
      times[c].push(...timeRuns(file, argv, { cwd: dir, runs: 1, warmUp: false })),
    );
  }
  const floor = median(times[0]);
  console.log(`cold start, median of ${RUNS} runs each, and the ratio to node -e 0 in the same rounds`);
  commands.forEach(([name], c) => {
    const ms = median(times[c]);
    const target = name.startsWith("berth")
      ? `   target ${TARGET_MS} ms ${ms <= TARGET_MS ? "met" : "MISSED"}`
      : "";
    if (name.startsWith("berth") && ms > TARGET_MS) missed = true;
    console.log(`  ${name.padEnd(30)} ${formatMs(ms)}   ${(ms / floor).toFixed(2)}x${target}`);
  });
  const version = median(times[1]) / floor;
  console.log(
    `summary: cold start ${missed ? "over" : "within"} the ${TARGET_MS} ms target (median); ` +
      `berth version ${version.toFixed(2)}x node -e 0 (target <= 1.15x)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (CHECK && missed) process.exit(1);
