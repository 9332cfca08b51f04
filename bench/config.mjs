// `berth config` against docker-compose v1.29 `config` and, when it is built, docker compose v2.23's Go
// loader (/tmp/compose-reference/compose-reference, ../shared/reference-compose/build.sh) on a generated
// 500-service compose file (ports, environment, volumes, depends_on, healthchecks, varied per service),
// side by side in the same run.
//   node bench/config.mjs [--services 500] [--runs 5] [--check]
// With --check, exits 1 when Berth's median is over the target.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUSYBOX, formatMs, median, numberOption, timeRuns } from "./lib.mjs";

const TARGET_MS = 250;
const args = process.argv.slice(2);
const SERVICES = numberOption("--services", 500);
const RUNS = numberOption("--runs", 5);
const CHECK = args.includes("--check");
const BERTH = new URL("../packages/cli/bin/berth.js", import.meta.url).pathname;
const COMPOSE_V1 = "/usr/bin/docker-compose";
const REFERENCE = "/tmp/compose-reference/compose-reference";

/** Services of a few kinds (web, api, worker, db, cache), each with what such a service usually has. */
function generate(n) {
  const lines = ["version: '3.8'", "services:"];
  const volumes = [];
  for (let i = 0; i < n; i++) {
    const kind = ["web", "api", "worker", "db", "cache"][i % 5];
    const name = `${kind}${i}`;
    lines.push(`  ${name}:`, `    image: ${BUSYBOX}`);
    lines.push(
      "    environment:",
      `      SERVICE_NAME: ${name}`,
      "      LOG_LEVEL: ${LOG_LEVEL:-info}",
      `      REPLICA: "${i}"`,
    );
    if (kind === "web" || kind === "api") {
      lines.push("    ports:", `      - "${20000 + i}:80"`);
      lines.push(`    command: ["httpd", "-f", "-p", "80"]`);
    }
    if (kind === "db") {
      volumes.push(`data${i}`);
      lines.push(
        "    volumes:",
        `      - data${i}:/var/lib/data`,
        `      - ./config/${name}.conf:/etc/app.conf:ro`,
      );
    }
    if (kind === "web" || kind === "db" || kind === "api") {
      lines.push(
        "    healthcheck:",
        `      test: ["CMD", "wget", "-q", "-O-", "http://localhost/"]`,
        "      interval: 10s",
        "      timeout: 3s",
        "      retries: 3",
      );
    }
    // Depend on a service of an earlier group, so the graph is deep and wide.
    if (i >= 5)
      lines.push(
        "    depends_on:",
        `      - ${["web", "api", "worker", "db", "cache"][(i - 5) % 5]}${i - 5}`,
      );
    lines.push("    labels:", `      com.example.team: team${i % 7}`, "    restart: unless-stopped");
  }
  lines.push("volumes:");
  for (const v of volumes) lines.push(`  ${v}: {}`);
  return `${lines.join("\n")}\n`;
}

const dir = mkdtempSync(join(tmpdir(), "berth-bench-config-"));
let missed = false;
try {
  writeFileSync(join(dir, "compose.yaml"), generate(SERVICES));
  // The machine's own speed varies by spells: a bare node start shows it, and the three commands take
  // turns (after one warm-up each) so that a spell slows them alike.
  // Each comparison runs when its program is installed.
  const commands = [
    ["node -e 0", process.execPath, ["-e", "0"]],
    ["berth config", process.execPath, [BERTH, "config"]],
    ["docker-compose 1.29 config", COMPOSE_V1, ["config"]],
    ["compose v2.23 loader config", REFERENCE, ["-f", "compose.yaml", "config"]],
  ].filter(([, file]) => file === process.execPath || existsSync(file));
  for (const [, file, argv] of commands) timeRuns(file, argv, { cwd: dir, runs: 0 });
  const times = commands.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    commands.forEach(([, file, argv], c) =>
      times[c].push(...timeRuns(file, argv, { cwd: dir, runs: 1, warmUp: false })),
    );
  }
  const medians = Object.fromEntries(commands.map(([name], c) => [name, median(times[c])]));
  const berth = medians["berth config"];
  missed = berth > TARGET_MS;
  console.log(`config of ${SERVICES} services, median of ${RUNS} runs (berth's time / theirs)`);
  for (const [name, ms] of Object.entries(medians)) {
    const ratio = name === "berth config" ? "" : `   ${(berth / ms).toFixed(2)}x`;
    console.log(`  ${name.padEnd(28)} ${formatMs(ms)}${ratio}`);
  }
  const reference = medians["compose v2.23 loader config"];
  console.log(
    `summary: berth ${formatMs(berth)}; target ${TARGET_MS} ms ${missed ? "MISSED" : "met"}` +
      (reference === undefined
        ? ""
        : `; ${(berth / reference).toFixed(2)}x the v2.23 loader (target <= 1.00x)`),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (CHECK && missed) process.exit(1);
