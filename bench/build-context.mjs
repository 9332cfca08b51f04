// A 200 MB build context of which one file changes, built with BuildKit over Berth's session (filesync),
// side by side with the same builds sending the context as a tar body (what the legacy path does), medians:
// - the second build's time when a source file changes (target <= 2 s: only that file crosses the socket);
// - the same when the Dockerfile copies the whole context (`COPY . /ctx/`): the engine then re-copies the
//   200 MB into a new layer whatever crosses the socket, so this row shows the engine's floor;
// - Berth's peak memory while the first build sends the whole context (target < 150 MB: files are streamed).
//   node bench/build-context.mjs [--size-mb 200] [--files 200] [--rounds 3] [--check] [--json]
// Other benches call `contextBench()`: it runs this script as its own process, so that the peak memory is
// the session's alone, and returns the figures.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openBuildSession, sessionBuildQuery } from "@berth/engine";
import Docker from "dockerode";
import { rawBuildkitBuild } from "../test/helpers/buildkit.mjs";
import { BUSYBOX, formatMs, median, numberOption } from "./lib.mjs";

const SECOND_BUILD_TARGET_MS = 2000;
const PEAK_RSS_TARGET_MB = 150;
const SELF = fileURLToPath(import.meta.url);

/** Runs the bench in a process of its own and returns its figures. */
export function contextBench({ sizeMb = 200, files = 200, rounds = 3 } = {}) {
  const args = ["--json", "--size-mb", String(sizeMb), "--files", String(files), "--rounds", String(rounds)];
  const out = execFileSync(process.execPath, [SELF, ...args], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").at(-1));
}

async function measure(sizeMb, files, rounds) {
  const docker = new Docker();
  const dir = mkdtempSync(join(tmpdir(), "berth-bench-context-"));
  const tag = `berth-bench-context-${process.pid}:latest`;
  try {
    mkdirSync(join(dir, "data"));
    const fileSize = Math.floor((sizeMb * 1024 * 1024) / files);
    // Written by a shell, so that this process's peak memory is the build's alone.
    execFileSync(
      "sh",
      [
        "-c",
        `i=0; while [ $i -lt ${files} ]; do head -c ${fileSize} /dev/urandom > data/part-$i.bin; i=$((i+1)); done`,
      ],
      { cwd: dir },
    );
    writeFileSync(join(dir, "app.txt"), "version 0\n");
    // The usual layout: the large, rarely changed part first, the sources edited between builds after it.
    writeFileSync(join(dir, "Dockerfile"), `FROM ${BUSYBOX}\nCOPY data /data/\nCOPY app.txt /app/\n`);
    writeFileSync(join(dir, "Dockerfile.copy-all"), `FROM ${BUSYBOX}\nCOPY . /ctx/\n`);

    const change = (path, round) => {
      writeFileSync(join(dir, path), `round ${round} ${randomBytes(8).toString("hex")}\n`);
      // An mtime clearly after the last build's, whatever the file system's timestamp granularity.
      const later = new Date(Date.now() + 1000 * (round + 1));
      utimesSync(join(dir, path), later, later);
    };

    const sessionBuild = async (dockerfile) => {
      const session = await openBuildSession(docker, {
        dirs: { context: { path: dir }, dockerfile: { path: dir } },
      });
      const started = performance.now();
      try {
        const result = await rawBuildkitBuild(docker, {
          ...sessionBuildQuery(session, true),
          t: tag,
          dockerfile,
        });
        if (result.error) throw new Error(`build failed: ${result.error}`);
        const sent = session.transfers.filter((t) => t.dir === "context");
        return { ms: performance.now() - started, bytesSent: sent.reduce((n, t) => n + t.bytesSent, 0) };
      } finally {
        await session.close();
      }
    };
    const tarBuild = async (dockerfile) => {
      const started = performance.now();
      const tar = spawn("tar", ["-C", dir, "-c", "."], { stdio: ["ignore", "pipe", "inherit"] });
      const result = await rawBuildkitBuild(docker, { t: tag, dockerfile }, tar.stdout);
      if (result.error) throw new Error(`build failed: ${result.error}`);
      return { ms: performance.now() - started, bytesSent: sizeMb * 1024 * 1024 };
    };
    const secondBuilds = async (build, dockerfile, changed) => {
      const runs = [];
      for (let round = 0; round < rounds; round++) {
        change(changed, round);
        runs.push(await build(dockerfile));
      }
      return { ms: median(runs.map((r) => r.ms)), bytesSent: median(runs.map((r) => r.bytesSent)) };
    };

    const rssBeforeMb = process.memoryUsage.rss() / 1024 / 1024;
    const first = await sessionBuild("Dockerfile");
    // maxRSS covers the whole process so far: its peak is the first build sending the full context.
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const source = await secondBuilds(sessionBuild, "Dockerfile", "app.txt");
    const sourceTar = await secondBuilds(tarBuild, "Dockerfile", "app.txt");
    await sessionBuild("Dockerfile.copy-all");
    const copyAll = await secondBuilds(sessionBuild, "Dockerfile.copy-all", "data/part-17.bin");
    const copyAllTar = await secondBuilds(tarBuild, "Dockerfile.copy-all", "data/part-17.bin");
    return { sizeMb, files, rounds, first, source, sourceTar, copyAll, copyAllTar, peakRssMb, rssBeforeMb };
  } finally {
    await docker
      .getImage(tag)
      .remove({ force: true })
      .catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === SELF) {
  const args = process.argv.slice(2);
  const f = await measure(
    numberOption("--size-mb", 200),
    numberOption("--files", 200),
    numberOption("--rounds", 3),
  );
  if (args.includes("--json")) {
    console.log(JSON.stringify(f));
  } else {
    const mb = (bytes) =>
      bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(2)} kB`;
    const row = (name, session, tar) =>
      `  ${name.padEnd(36)} session ${formatMs(session.ms)} (sent ${mb(session.bytesSent)})   tar body ${formatMs(tar.ms)} (sent ${mb(tar.bytesSent)})`;
    const secondOk = f.source.ms <= SECOND_BUILD_TARGET_MS;
    const rssOk = f.peakRssMb < PEAK_RSS_TARGET_MB;
    console.log(
      `build context of ${f.sizeMb} MB in ${f.files} files, BuildKit, median of ${f.rounds} second builds`,
    );
    console.log(`  first build over the session ${formatMs(f.first.ms)} (sent ${mb(f.first.bytesSent)})`);
    console.log(
      `${row("second build, a source file changed", f.source, f.sourceTar)}   target ${SECOND_BUILD_TARGET_MS} ms ${secondOk ? "met" : "MISSED"}`,
    );
    console.log(row("second build, COPY . of it all", f.copyAll, f.copyAllTar));
    console.log(
      `  peak RSS of the process ${f.peakRssMb.toFixed(0)} MB (${f.rssBeforeMb.toFixed(0)} MB before the first build)   target < ${PEAK_RSS_TARGET_MB} MB ${rssOk ? "met" : "MISSED"}`,
    );
    if (args.includes("--check") && !(secondOk && rssOk)) process.exit(1);
  }
}
