// The devstack API image built by Berth with BuildKit against the engine's legacy builder, side by side
// in one run: from an empty build cache (`--no-cache`: every step runs; the base image is present) and
// again with nothing changed. Whole `berth build` processes, rounds alternating the builders. Each run also
// gives the image's own build time inside the process (`--progress json`: the image's `Built` event's
// elapsedMs, from its `Building` event), which leaves out what every command pays on both sides alike:
// Node's start, loading Berth, the compose file, the engine ping and the checks before any build.
// The legacy builder cannot build the example's Dockerfile (RUN --mount), so it builds the same stages
// as they were written before BuildKit: the token as a build argument, no cache mount.
//   node bench/build.mjs [--rounds 3] [--check]
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatMs, median, numberOption } from "./lib.mjs";

const args = process.argv.slice(2);
const ROUNDS = numberOption("--rounds", 3);
const BERTH = new URL("../packages/cli/bin/berth.js", import.meta.url).pathname;
const DEVSTACK = new URL("../examples/devstack/", import.meta.url).pathname;
const PROJECT = `berth-bench-build-${process.pid}`;

function prepare() {
  const dir = mkdtempSync(join(tmpdir(), "berth-bench-build-"));
  cpSync(join(DEVSTACK, "api"), join(dir, "api"), { recursive: true });
  cpSync(join(DEVSTACK, "registry-token.dev"), join(dir, "registry-token.dev"));
  const dockerfile = readFileSync(join(dir, "api", "Dockerfile"), "utf8");
  const legacy = dockerfile.replace(
    /RUN --mount=type=secret[^\n]*\\\n[^\n]*\\\n\s*node install\.mjs/,
    'ARG REGISTRY_TOKEN\nRUN echo "$REGISTRY_TOKEN" > /tmp/token && REGISTRY_TOKEN_FILE=/tmp/token node install.mjs && rm /tmp/token',
  );
  if (legacy === dockerfile)
    throw new Error("the devstack API's install step changed: update bench/build.mjs");
  writeFileSync(join(dir, "api", "Dockerfile.legacy"), legacy);
  writeFileSync(
    join(dir, "compose.yaml"),
    `services:
  buildkit:
    build: { context: ./api, secrets: [registry_token] }
  legacy:
    build: { context: ./api, dockerfile: Dockerfile.legacy, args: { REGISTRY_TOKEN: bench } }
secrets:
  registry_token: { file: ./registry-token.dev }
`,
  );
  return dir;
}

function build(dir, service, extra) {
  const env = { ...process.env, ...(service === "legacy" ? { DOCKER_BUILDKIT: "0" } : {}) };
  const start = process.hrtime.bigint();
  const run = spawnSync(
    process.execPath,
    [BERTH, "--progress", "json", "-p", PROJECT, "build", ...extra, service],
    {
      cwd: dir,
      env,
      encoding: "utf8",
    },
  );
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`berth build ${service} failed: ${run.stderr}`);
  const built = run.stderr
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line))
    .find((e) => e.kind === "image" && e.action === "Built");
  if (!built) throw new Error(`berth build ${service} reported no Built event`);
  images.add(
    execFileSync("docker", ["image", "inspect", "-f", "{{.Id}}", `${PROJECT}-${service}`], {
      encoding: "utf8",
    }).trim(),
  );
  return { ms, buildMs: built.elapsedMs };
}

/** Every image a build made: a rebuild leaves the one before untagged, and it goes too (with its parents). */
const images = new Set();
const dir = prepare();
const times = {
  buildkit: { cold: [], warm: [], coldBuild: [], warmBuild: [] },
  legacy: { cold: [], warm: [], coldBuild: [], warmBuild: [] },
};
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const service of round % 2 ? ["legacy", "buildkit"] : ["buildkit", "legacy"]) {
      const cold = build(dir, service, ["--no-cache"]);
      times[service].cold.push(cold.ms);
      times[service].coldBuild.push(cold.buildMs);
      // After a --no-cache build the legacy builder finds no cache for the next one (it looks among the
      // children of its older cached layers): one untimed build first, so both rebuild from their cache.
      build(dir, service, []);
      const warm = build(dir, service, []);
      times[service].warm.push(warm.ms);
      times[service].warmBuild.push(warm.buildMs);
    }
  }
} finally {
  for (const id of images) spawnSync("docker", ["rmi", "-f", id], { stdio: "ignore" });
  rmSync(dir, { recursive: true, force: true });
}

const row = (what, key) => {
  const bk = median(times.buildkit[key]);
  const legacy = median(times.legacy[key]);
  console.log(
    `${what.padEnd(34)} BuildKit ${formatMs(bk).padStart(9)}  legacy ${formatMs(legacy).padStart(9)}  ${(bk / legacy).toFixed(2)}x`,
  );
  return bk / legacy;
};
console.log(`devstack API image, ${ROUNDS} rounds, medians:`);
console.log("whole berth build processes");
row("  empty cache (--no-cache)", "cold");
const ratio = row("  nothing changed", "warm");
console.log("the image's build inside the process (Building -> Built)");
row("  empty cache (--no-cache)", "coldBuild");
const buildRatio = row("  nothing changed", "warmBuild");
const met = ratio <= 0.5;
console.log(
  `target: no-change rebuild <= 0.5x the legacy builder's: whole process ${met ? "met" : "missed"}, build alone ${buildRatio <= 0.5 ? "met" : "missed"}`,
);
if (args.includes("--check") && !met) process.exit(1);
