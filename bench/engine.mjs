// `up -d` and `down` of a generated 40-service stack (a 4-ary tree of depends_on), Berth against the raw
// engine floor: a plain dockerode script, in the same run, that creates the same network and containers,
// each started as soon as its parent started, and removes them children first.
//   node bench/engine.mjs [--services 40] [--rounds 3] [--settle 10] [--noop-runs 7] [--check]
// --settle: seconds between the `up` and the no-op `up`s (the engine settles 40 starts meanwhile), and
// before the rounds; --noop-runs: how many no-op `up`s (a short process: more runs, a steadier median).
import { execFileSync } from "node:child_process";
import { loadProject } from "@berth/compose-schema";
import { down, up } from "@berth/engine";
import Docker from "dockerode";
import {
  ensureBusybox,
  floorDown,
  floorUp,
  formatMs,
  median,
  numberOption,
  time,
  treeServices,
  writeTreeCompose,
} from "./lib.mjs";

const args = process.argv.slice(2);
const N = numberOption("--services", 40);
const ROUNDS = numberOption("--rounds", 3);
const SETTLE_MS = numberOption("--settle", 10) * 1000;
const NOOP_RUNS = numberOption("--noop-runs", 7);
const BERTH = new URL("../packages/cli/bin/berth.js", import.meta.url).pathname;
const docker = new Docker();

async function berthUp(project, dir) {
  const p = await loadProject({ cwd: dir, projectName: project, env: {} });
  await up(docker, p, { wait: false });
}

async function berthDown(project) {
  await down(docker, project, {});
}

function leftovers(project) {
  return execFileSync("docker", ["ps", "-aq", "--filter", `label=com.docker.compose.project=${project}`])
    .toString()
    .trim();
}

ensureBusybox();
const services = treeServices(N);
const { dir, cleanup } = writeTreeCompose(N);
const results = { floorUp: [], floorDown: [], berthUp: [], berthDown: [], noop: [], node: [] };
try {
  // The no-op `up` first, before the rounds' ups and downs leave the engine busy cleaning up: the stack up,
  // and after a pause (as a user re-runs `up`, not while the engine settles the 40 starts) a second `up`
  // (--noop-runs times) as a whole CLI process, each after `node -e 0`, which shows how fast the machine is.
  const np = `berth-bench-noop-${process.pid}`;
  await berthUp(np, dir);
  try {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    for (let r = 0; r < NOOP_RUNS; r++) {
      results.node.push(await time(async () => execFileSync(process.execPath, ["-e", "0"])));
      results.noop.push(
        await time(async () => {
          execFileSync(process.execPath, [BERTH, "-p", np, "up", "-d"], { cwd: dir, stdio: "ignore" });
        }),
      );
    }
  } finally {
    await berthDown(np);
  }
  if (leftovers(np)) throw new Error("containers left behind");
  // The rounds start on an engine done with that down too.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  for (let r = 0; r < ROUNDS; r++) {
    const fp = `berth-bench-floor-${process.pid}-${r}`;
    results.floorUp.push(await time(() => floorUp(docker, fp, services)));
    results.floorDown.push(await time(() => floorDown(docker, fp, services)));
    const bp = `berth-bench-berth-${process.pid}-${r}`;
    results.berthUp.push(await time(() => berthUp(bp, dir)));
    results.berthDown.push(await time(() => berthDown(bp)));
    if (leftovers(bp) || leftovers(fp)) throw new Error("containers left behind");
  }
} finally {
  cleanup();
}

const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
const upRatio = m.berthUp / m.floorUp;
const downRatio = m.berthDown / m.floorDown;
console.log(`engine bench: ${N} services (4-ary depends_on tree), ${ROUNDS} rounds, medians`);
console.log(
  `  up -d   floor ${formatMs(m.floorUp)}   berth ${formatMs(m.berthUp)}   ratio ${upRatio.toFixed(3)} (target <= 1.05)`,
);
console.log(
  `  down    floor ${formatMs(m.floorDown)}   berth ${formatMs(m.berthDown)}   ratio ${downRatio.toFixed(3)} (target <= 1.05)`,
);
console.log(
  `  no-op up (whole CLI process) ${formatMs(m.noop)} (target < 300 ms); node -e 0 ${formatMs(m.node)}`,
);
console.log(
  `  no-op runs ${results.noop.map(formatMs).join(", ")}; node -e 0 ${results.node.map(formatMs).join(", ")}`,
);
if (args.includes("--check") && (upRatio > 1.05 || downRatio > 1.05 || m.noop >= 300)) process.exit(1);
