// A 200 MB build context of which one file changes, built with BuildKit over Berth's session (filesync):
// the second build's time (target <= 2 s: only the changed file crosses the socket), and Berth's peak
// memory while the first build sends the whole context (target < 150 MB: files are streamed).
//   node bench/build-context.mjs [--size-mb 200] [--files 200] [--check] [--json]
// Other benches call `contextBench()`: it runs this script as its own process, so that the peak memory
// is the session's alone, and returns the figures.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openBuildSession, sessionBuildQuery } from "@berth/engine";
import Docker from "dockerode";
import { rawBuildkitBuild } from "../test/helpers/buildkit.mjs";
import { BUSYBOX, formatMs, numberOption } from "./lib.mjs";

const SECOND_BUILD_TARGET_MS = 2000;
const PEAK_RSS_TARGET_MB = 150;
const SELF = fileURLToPath(import.meta.url);

/** Runs the bench in a process of its own and returns its figures. */
export function contextBench({ sizeMb = 200, files = 200 } = {}) {
  const out = execFileSync(
    process.execPath,
    [SELF, "--json", "--size-mb", String(sizeMb), "--files", String(files)],
    {
      encoding: "utf8",
    },
  );
  return JSON.parse(out.trim().split("\n").at(-1));
}

async function measure(sizeMb, files) {
  const docker = new Docker();
  const dir = mkdtempSync(join(tmpdir(), "berth-bench-context-"));
  const tag = `berth-bench-context-${process.pid}:latest`;
  try {
    mkdirSync(join(dir, "data"));
    const fileSize = Math.floor((sizeMb * 1024 * 1024) / files);
    for (let i = 0; i < files; i++) writeFileSync(join(dir, "data", `part-${i}.bin`), randomBytes(fileSize));
    writeFileSync(join(dir, "Dockerfile"), `FROM ${BUSYBOX}\nCOPY . /ctx/\n`);

    const build = async () => {
      const session = await openBuildSession(docker, {
        dirs: { context: { path: dir }, dockerfile: { path: dir } },
      });
      const started = performance.now();
      try {
        const result = await rawBuildkitBuild(docker, {
          ...sessionBuildQuery(session, true),
          t: tag,
          dockerfile: "Dockerfile",
        });
        if (result.error) throw new Error(`build failed: ${result.error}`);
        const sent = session.transfers.filter((t) => t.dir === "context");
        return {
          ms: performance.now() - started,
          bytesSent: sent.reduce((n, t) => n + t.bytesSent, 0),
          filesSent: sent.reduce((n, t) => n + t.filesSent, 0),
        };
      } finally {
        await session.close();
      }
    };

    const rssBefore = process.memoryUsage.rss();
    const first = await build();
    // maxRSS covers the whole process so far: the context files were written in 1/files pieces, so the
    // peak is the first build's sending of the full context.
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const changed = join(dir, "data", "part-17.bin");
    writeFileSync(changed, randomBytes(fileSize));
    const later = new Date(Date.now() + 1000);
    utimesSync(changed, later, later);
    const second = await build();
    return { sizeMb, files, first, second, peakRssMb, rssBeforeMb: rssBefore / 1024 / 1024 };
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
  const figures = await measure(numberOption("--size-mb", 200), numberOption("--files", 200));
  if (args.includes("--json")) {
    console.log(JSON.stringify(figures));
  } else {
    const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    const secondOk = figures.second.ms <= SECOND_BUILD_TARGET_MS;
    const rssOk = figures.peakRssMb < PEAK_RSS_TARGET_MB;
    console.log(
      `build context of ${figures.sizeMb} MB in ${figures.files} files, served over the BuildKit session`,
    );
    console.log(
      `  first build   ${formatMs(figures.first.ms)}   sent ${figures.first.filesSent} files, ${mb(figures.first.bytesSent)}`,
    );
    console.log(
      `  second build  ${formatMs(figures.second.ms)}   sent ${figures.second.filesSent} file(s), ${mb(figures.second.bytesSent)}   target ${SECOND_BUILD_TARGET_MS} ms ${secondOk ? "met" : "MISSED"}`,
    );
    console.log(
      `  peak RSS of the process  ${figures.peakRssMb.toFixed(0)} MB (before the first build ${figures.rssBeforeMb.toFixed(0)} MB)   target < ${PEAK_RSS_TARGET_MB} MB ${rssOk ? "met" : "MISSED"}`,
    );
    if (args.includes("--check") && !(secondOk && rssOk)) process.exit(1);
  }
}
