// Issue 7, load. Two parts, both whole processes as users run them:
// 1. `berth up -d` and `berth down` of a 200-service stack (the 4-ary depends_on tree of engine.mjs)
//    against the raw engine floor run as a process too (a plain dockerode script, lib.mjs), side by side
//    in the same run, with each process's peak RSS (bench/measure-hook.mjs, loaded with --import: no
//    change to Berth). Targets: up and down <= 1.05x the floor; Berth's peak RSS < 150 MB.
// 2. 10 projects brought up at the same time by 10 `berth up -d --wait` processes, then 10 `berth down`:
//    all exit 0, each project has exactly its own containers running, nothing is left.
//   node bench/load.mjs [--services 200] [--rounds 3] [--projects 10] [--project-services 20]
//                       [--parallel N] [--settle 5] [--calls] [--cpu-prof DIR] [--check]
// --projects 0 skips part 2; --parallel passes `--parallel N` to berth; --calls prints the Docker API
// calls each side made (counted by the hook); --settle is the pause in seconds before each measured
// step; --cpu-prof writes V8 CPU profiles of the berth processes to DIR.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Docker from "dockerode";
import {
  ensureBusybox,
  floorDown,
  floorUp,
  formatMs,
  median,
  numberOption,
  option,
  removeNetwork,
  treeServices,
  writeTreeCompose,
} from "./lib.mjs";

const args = process.argv.slice(2);
const N = numberOption("--services", 200);
const ROUNDS = numberOption("--rounds", 3);
const PROJECTS = numberOption("--projects", 10);
const PROJECT_SERVICES = numberOption("--project-services", 20);
const PARALLEL = option("--parallel", undefined);
const CALLS = args.includes("--calls");
const SETTLE_MS = numberOption("--settle", 5) * 1000;
const CPU_PROF_DIR = option("--cpu-prof", undefined);
const UP_TARGET = 1.05;
const RSS_TARGET_MB = 150;

const SELF = fileURLToPath(import.meta.url);
const HOOK = fileURLToPath(new URL("./measure-hook.mjs", import.meta.url));
const BERTH = fileURLToPath(new URL("../packages/cli/bin/berth.js", import.meta.url));

// Child mode: the floor script as its own process, `--floor up|down PROJECT N`.
const floorIndex = args.indexOf("--floor");
if (floorIndex >= 0) {
  const [op, project, n] = args.slice(floorIndex + 1);
  const docker = new Docker();
  const services = treeServices(Number(n));
  await (op === "up" ? floorUp : floorDown)(docker, project, services);
  process.exit(0);
}

/** Runs `node --import HOOK ...argv` to completion: wall time, exit code, peak RSS, API calls, output. */
function measured(argv, cwd) {
  const dir = mkdtempSync(join(tmpdir(), "berth-load-measure-"));
  const file = join(dir, "measure.json");
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", HOOK, ...argv], {
      cwd,
      env: {
        ...process.env,
        BENCH_MEASURE_FILE: file,
        BENCH_COUNT_CALLS: CALLS ? "1" : "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      let m = { maxRssMb: Number.NaN, cpuMs: Number.NaN, calls: {} };
      try {
        m = JSON.parse(readFileSync(file, "utf8"));
      } catch {
        // The process died before its exit hook ran; the exit code says so.
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ ms, code, output, rssMb: m.maxRssMb, cpuMs: m.cpuMs, calls: m.calls });
    });
  });
}

function berthArgs(project, ...rest) {
  const parallel = PARALLEL === undefined ? [] : ["--parallel", PARALLEL];
  const profile = CPU_PROF_DIR === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", CPU_PROF_DIR];
  // `--`: node reads --env-file anywhere on its command line; berth has its own (see bin/berth.js).
  return [...profile, "--", BERTH, "-p", project, "--progress", "plain", ...parallel, ...rest];
}

function mustSucceed(what, r) {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.output.slice(-4000)}`);
  return r;
}

function projectContainers(project) {
  const out = execFileSync("docker", [
    "ps",
    "-a",
    "--filter",
    `label=com.docker.compose.project=${project}`,
    "--format",
    "{{.Names}} {{.State}}",
  ]).toString();
  return out
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split(" "));
}

const engineLeaks = [];

/**
 * What a project left on the engine, as a list of problems (empty when clean). A network that the
 * engine keeps only because it lost count of its endpoints (moby 42119, see lib.mjs) is noted apart.
 */
async function leftovers(project) {
  const docker = new Docker();
  const filters = { label: [`com.docker.compose.project=${project}`] };
  const problems = [];
  const containers = await docker.listContainers({ all: true, filters });
  if (containers.length) problems.push(`${containers.length} containers`);
  for (const n of await docker.listNetworks({ filters })) {
    const attached = Object.keys((await docker.getNetwork(n.Id).inspect()).Containers ?? {});
    if (!containers.length && !attached.length && !(await removeNetwork(docker, n.Name))) {
      if (!engineLeaks.includes(n.Name)) engineLeaks.push(n.Name);
    } else problems.push(`network ${n.Name}`);
  }
  const volumes = (await docker.listVolumes({ filters })).Volumes ?? [];
  if (volumes.length) problems.push(`${volumes.length} volumes`);
  return problems;
}

async function mustBeClean(project) {
  const left = await leftovers(project);
  if (left.length) throw new Error(`${project}: ${left.join(", ")} left behind`);
}

/** Whatever a failed run left, removed, so a broken bench does not leave 200 containers behind. */
async function forceClean(project) {
  const docker = new Docker();
  const filters = { label: [`com.docker.compose.project=${project}`] };
  for (const c of await docker.listContainers({ all: true, filters }))
    await docker.getContainer(c.Id).remove({ force: true, v: true });
  for (const n of await docker.listNetworks({ filters }))
    if (!engineLeaks.includes(n.Name)) await removeNetwork(docker, n.Name);
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? [])
    await docker.getVolume(v.Name).remove();
}

function sumCalls(calls) {
  return Object.values(calls ?? {}).reduce((a, b) => a + b, 0);
}

function printCalls(label, calls) {
  const entries = Object.entries(calls ?? {}).sort((a, b) => b[1] - a[1]);
  console.log(`    ${label}: ${sumCalls(calls)} calls: ${entries.map(([k, v]) => `${k} ×${v}`).join(", ")}`);
}

function loadAverage() {
  return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
}

ensureBusybox();
const big = writeTreeCompose(N);
const touched = [];
const r = {
  floorUp: [],
  floorDown: [],
  berthUp: [],
  berthDown: [],
  upRss: [],
  downRss: [],
  floorRss: [],
  upCpu: [],
  downCpu: [],
  floorUpCpu: [],
  floorDownCpu: [],
};
/**
 * After removing 200 containers the engine goes on for seconds (shims exiting, namespaces and mounts
 * released): the next measured step waits, so it does not pay for the previous one's clean-up.
 */
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
let lastCalls;
let concurrent;
const loadBefore = loadAverage();
try {
  // Part 1: the 200-service stack, Berth and floor in turns (order swapped each round against drift).
  for (let round = 0; round < ROUNDS; round++) {
    const fp = `berth-load-floor-${process.pid}-${round}`;
    const bp = `berth-load-berth-${process.pid}-${round}`;
    touched.push(fp, bp);
    const runFloor = async () => {
      await settle();
      const u = mustSucceed("floor up", await measured([SELF, "--floor", "up", fp, String(N)]));
      await settle();
      const d = mustSucceed("floor down", await measured([SELF, "--floor", "down", fp, String(N)]));
      r.floorUp.push(u.ms);
      r.floorDown.push(d.ms);
      r.floorRss.push(Math.max(u.rssMb, d.rssMb));
      r.floorUpCpu.push(u.cpuMs);
      r.floorDownCpu.push(d.cpuMs);
      return { up: u.calls, down: d.calls };
    };
    const runBerth = async () => {
      await settle();
      const u = mustSucceed("berth up -d", await measured(berthArgs(bp, "up", "-d"), big.dir));
      const running = projectContainers(bp).filter(([, state]) => state === "running").length;
      if (running !== N) throw new Error(`berth up -d: ${running} of ${N} containers running`);
      await settle();
      const d = mustSucceed("berth down", await measured(berthArgs(bp, "down"), big.dir));
      r.berthUp.push(u.ms);
      r.berthDown.push(d.ms);
      r.upRss.push(u.rssMb);
      r.downRss.push(d.rssMb);
      r.upCpu.push(u.cpuMs);
      r.downCpu.push(d.cpuMs);
      return { up: u.calls, down: d.calls };
    };
    const berthFirst = round % 2 === 0;
    const [first, second] = berthFirst ? [runBerth, runFloor] : [runFloor, runBerth];
    const a = await first();
    const b = await second();
    lastCalls = berthFirst ? { berth: a, floor: b } : { floor: a, berth: b };
    await mustBeClean(fp);
    await mustBeClean(bp);
  }

  // Part 2: 10 projects by 10 processes at the same time, each `up -d --wait` then `down`.
  if (PROJECTS > 0) {
    const small = writeTreeCompose(PROJECT_SERVICES);
    try {
      const names = Array.from({ length: PROJECTS }, (_, i) => `berth-load-many-${process.pid}-${i}`);
      touched.push(...names);
      const timeAll = async (fn) => {
        const start = process.hrtime.bigint();
        const results = await Promise.all(names.map(fn));
        return { ms: Number(process.hrtime.bigint() - start) / 1e6, results };
      };
      const ups = await timeAll((p) => measured(berthArgs(p, "up", "-d", "--wait"), small.dir));
      ups.results.forEach((u, i) => mustSucceed(`${names[i]} up -d --wait`, u));
      // Converged: each project has exactly its own containers, all running.
      for (const p of names) {
        const cs = projectContainers(p);
        const expected = treeServices(PROJECT_SERVICES).map((s) => `${p}-${s.name}-1`);
        const ok =
          cs.length === expected.length &&
          expected.every((name) => cs.some(([n, state]) => n === name && state === "running"));
        if (!ok) throw new Error(`${p} did not converge: ${cs.map((c) => c.join(" ")).join(", ")}`);
      }
      const downs = await timeAll((p) => measured(berthArgs(p, "down"), small.dir));
      downs.results.forEach((d, i) => mustSucceed(`${names[i]} down`, d));
      for (const p of names) await mustBeClean(p);
      concurrent = {
        upMs: ups.ms,
        downMs: downs.ms,
        rssMb: Math.max(...ups.results.map((u) => u.rssMb), ...downs.results.map((d) => d.rssMb)),
      };
    } finally {
      small.cleanup();
    }
  }
} finally {
  big.cleanup();
  for (const p of touched) {
    await forceClean(p).catch((err) => console.error(`cleaning ${p}: ${err}`));
  }
}

const m = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, median(v)]));
const upRatio = m.berthUp / m.floorUp;
const downRatio = m.berthDown / m.floorDown;
const peakRss = Math.max(...r.upRss, ...r.downRss);
const verdict = (ok) => (ok ? "met" : "MISSED");
const upOk = upRatio <= UP_TARGET;
const downOk = downRatio <= UP_TARGET;
const rssOk = peakRss < RSS_TARGET_MB && (!concurrent || concurrent.rssMb < RSS_TARGET_MB);
console.log(
  `load bench: ${N} services (4-ary depends_on tree), ${ROUNDS} rounds, whole processes, medians; ` +
    `load average before ${loadBefore}, after ${loadAverage()}`,
);
console.log(
  `  up -d   floor ${formatMs(m.floorUp)}   berth ${formatMs(m.berthUp)}   ratio ${upRatio.toFixed(3)} ` +
    `(target <= ${UP_TARGET}: ${verdict(upOk)})`,
);
console.log(
  `  down    floor ${formatMs(m.floorDown)}   berth ${formatMs(m.berthDown)}   ratio ${downRatio.toFixed(3)} ` +
    `(target <= ${UP_TARGET}: ${verdict(downOk)})`,
);
console.log(
  `  peak RSS berth up -d ${Math.max(...r.upRss).toFixed(1)} MB, down ${Math.max(...r.downRss).toFixed(1)} MB ` +
    `(target < ${RSS_TARGET_MB} MB: ${verdict(peakRss < RSS_TARGET_MB)}); floor script ${Math.max(...r.floorRss).toFixed(1)} MB`,
);
console.log(
  `  CPU used by the process itself: berth up -d ${formatMs(median(r.upCpu))}, down ${formatMs(median(r.downCpu))}; ` +
    `floor up ${formatMs(median(r.floorUpCpu))}, down ${formatMs(median(r.floorDownCpu))}`,
);
console.log(
  `  rounds: floor up ${r.floorUp.map(formatMs).join(", ")}; berth up ${r.berthUp.map(formatMs).join(", ")}; ` +
    `floor down ${r.floorDown.map(formatMs).join(", ")}; berth down ${r.berthDown.map(formatMs).join(", ")}`,
);
if (concurrent) {
  console.log(
    `  ${PROJECTS} projects x ${PROJECT_SERVICES} services by ${PROJECTS} processes at once: all converged; ` +
      `up -d --wait ${formatMs(concurrent.upMs)}, down ${formatMs(concurrent.downMs)} (wall), ` +
      `peak RSS per process ${concurrent.rssMb.toFixed(1)} MB (target < ${RSS_TARGET_MB} MB: ` +
      `${verdict(concurrent.rssMb < RSS_TARGET_MB)})`,
  );
}
if (engineLeaks.length) {
  console.log(
    `  note: the engine kept ${engineLeaks.length} empty network(s) it lost endpoint count of (moby 42119): ` +
      engineLeaks.join(", "),
  );
}
if (CALLS && lastCalls) {
  console.log("  Docker API calls (last round):");
  printCalls("floor up", lastCalls.floor.up);
  printCalls("berth up -d", lastCalls.berth.up);
  printCalls("floor down", lastCalls.floor.down);
  printCalls("berth down", lastCalls.berth.down);
}
if (args.includes("--check") && !(upOk && downOk && rssOk)) process.exit(1);
