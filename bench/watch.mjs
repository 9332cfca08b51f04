// The dev loop: `berth watch` (a whole process, as users run it) syncing into a busybox container.
//   - latency of one changed file: from the write to the moment a `cat` in the container sees it;
//   - a burst of 1000 small files: from the first write until all are visible, with Berth's peak RSS and
//     the engine calls it made for them;
//   - the floor, in the same run: one tar archive of the same files put into the container directly
//     (`PUT /containers/{id}/archive`, what `docker cp` of an archive does), seen by the same probe.
// The probe is an exec started before the write, looping in the container (`cat` every 5 ms), so that
// the figure is not an exec's start-up time.
//   node bench/watch.mjs [--rounds 15] [--files 1000] [--check]
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Docker from "dockerode";
import { pack } from "tar-stream";
import { BUSYBOX, IDLE_COMMAND, ensureBusybox, formatMs, median, numberOption } from "./lib.mjs";

const args = process.argv.slice(2);
const ROUNDS = numberOption("--rounds", 15);
const FILES = numberOption("--files", 1000);
const BERTH = fileURLToPath(new URL("../packages/cli/bin/berth.js", import.meta.url));
const HOOK = fileURLToPath(new URL("./measure-hook.mjs", import.meta.url));
const docker = new Docker();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts `sh -c SCRIPT` in the container; resolves with the time (ms, hrtime) it printed its first output. */
async function probe(container, script) {
  const exec = await container.exec({ Cmd: ["sh", "-c", script], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  return new Promise((resolve, reject) => {
    stream.once("data", () => {
      resolve(performance.now());
      stream.destroy();
    });
    stream.on("error", reject);
  });
}

/** A probe that answers once `path` holds `text`. */
const seesFile = (container, path, text) =>
  probe(container, `until [ "$(cat ${path} 2>/dev/null)" = "${text}" ]; do usleep 5000; done; echo seen`);

/** A probe that answers once `dir` holds `count` files. */
const seesCount = (container, dir, count) =>
  probe(
    container,
    `until [ "$(ls ${dir} 2>/dev/null | wc -l)" -ge ${count} ]; do usleep 5000; done; echo seen`,
  );

function tarOf(files) {
  const tar = pack();
  const chunks = [];
  tar.on("data", (c) => chunks.push(c));
  const done = new Promise((resolve) => tar.on("end", () => resolve(Buffer.concat(chunks))));
  for (const [name, text] of files) tar.entry({ name, mode: 0o644 }, text);
  tar.finalize();
  return done;
}

async function main() {
  ensureBusybox();
  const project = `berth-bench-watch-${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), "berth-bench-watch-"));
  mkdirSync(join(dir, "src"));
  writeFileSync(
    join(dir, "compose.yaml"),
    `services:
  app:
    image: ${BUSYBOX}
    command: ${JSON.stringify(IDLE_COMMAND)}
    develop:
      watch:
        - path: ./src
          action: sync
          target: /app
`,
  );
  const measure = join(dir, "measure.json");
  let berth;
  try {
    const up = spawn(process.execPath, [BERTH, "-p", project, "up", "-d"], { cwd: dir, stdio: "ignore" });
    await new Promise((r) => up.on("close", r));
    const container = docker.getContainer(`${project}-app-1`);

    berth = spawn(
      process.execPath,
      ["--import", HOOK, BERTH, "-p", project, "--progress", "plain", "watch", "--no-up"],
      {
        cwd: dir,
        env: { ...process.env, BENCH_MEASURE_FILE: measure, BENCH_COUNT_CALLS: "1" },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let log = "";
    berth.stderr.on("data", (d) => {
      log += d;
    });
    while (!log.includes("watching")) await sleep(20);

    // One changed file: Berth, then the floor (one archive of the same file), in turns.
    const berthMs = [];
    const floorMs = [];
    for (let i = 0; i < ROUNDS; i++) {
      const text = `round-${i}-${Date.now()}`;
      const seen = seesFile(container, "/app/one.txt", text);
      await sleep(150);
      const wrote = performance.now();
      writeFileSync(join(dir, "src/one.txt"), text);
      berthMs.push((await seen) - wrote);
      await sleep(300);

      const floorText = `floor-${i}-${Date.now()}`;
      const floorSeen = seesFile(container, "/app/floor.txt", floorText);
      await sleep(150);
      const put = performance.now();
      await container.putArchive(await tarOf([["app/floor.txt", floorText]]), { path: "/" });
      floorMs.push((await floorSeen) - put);
      await sleep(300);
    }

    // A burst of FILES files written by the host, as a checkout would.
    const burstSeen = seesCount(container, "/app/burst", FILES);
    await sleep(200);
    const burstStart = performance.now();
    mkdirSync(join(dir, "src/burst"));
    for (let i = 0; i < FILES; i++) writeFileSync(join(dir, `src/burst/f${i}.txt`), `file ${i}\n`);
    const writesMs = performance.now() - burstStart;
    const burstMs = (await burstSeen) - burstStart;
    await sleep(500);

    const floorBurstSeen = seesCount(container, "/floor-burst", FILES);
    await sleep(200);
    const floorBurstStart = performance.now();
    const files = Array.from({ length: FILES }, (_, i) => [`floor-burst/f${i}.txt`, `file ${i}\n`]);
    await container.putArchive(await tarOf(files), { path: "/" });
    const floorBurstMs = (await floorBurstSeen) - floorBurstStart;

    berth.kill("SIGINT");
    await new Promise((r) => berth.on("close", r));
    const { maxRssMb, calls } = JSON.parse(readFileSync(measure, "utf8"));
    const putCalls = calls["PUT /containers/*/archive"] ?? 0;
    const bursts = log.split("\n").filter((l) => l.startsWith("app: synced"));

    const latency = median(berthMs);
    console.log(
      `one changed file, write to visible (median of ${ROUNDS}): berth ${formatMs(latency)}, floor (putArchive) ${formatMs(median(floorMs))}`,
    );
    console.log(`  berth: ${berthMs.map((v) => v.toFixed(0)).join(" ")}`);
    console.log(`  floor: ${floorMs.map((v) => v.toFixed(0)).join(" ")}`);
    const ownMs = bursts.slice(0, ROUNDS).map((l) => Number(/in (\d+) ms/.exec(l)?.[1]));
    console.log(
      `  berth's own report of those syncs (list containers, read, put), median: ${formatMs(median(ownMs))}`,
    );
    console.log(
      `${FILES} files, first write to all visible: berth ${formatMs(burstMs)}, floor (one archive) ${formatMs(floorBurstMs)}`,
    );
    console.log(
      `  writing them took ${formatMs(writesMs)}; berth's lines for them: ${bursts.slice(ROUNDS).join(" | ")}`,
    );
    console.log(
      `berth peak RSS ${maxRssMb.toFixed(1)} MB; archive uploads in all: ${putCalls} (${ROUNDS} single files + the burst)`,
    );
    const met = latency < 300 && burstMs < 3000 && maxRssMb < 150;
    console.log(`targets (latency < 300 ms, burst < 3 s, RSS < 150 MB): ${met ? "met" : "MISSED"}`);
    if (args.includes("--check") && !met) process.exitCode = 1;
  } finally {
    berth?.kill("SIGKILL");
    const down = spawn(process.execPath, [BERTH, "-p", project, "down", "-t", "0"], {
      cwd: dir,
      stdio: "ignore",
    });
    await new Promise((r) => down.on("close", r));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
