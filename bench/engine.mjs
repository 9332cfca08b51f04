// `up -d` and `down` of a generated 40-service stack (a 4-ary tree of depends_on), Berth against the raw
// engine floor: a plain dockerode script, in the same run, that creates the same network and containers,
// each started as soon as its parent started, and removes them children first.
//   node bench/engine.mjs [--services 40] [--rounds 3] [--check]
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
  for (let r = 0; r < ROUNDS; r++) {
    const fp = `berth-bench-floor-${process.pid}-${r}`;
    results.floorUp.push(await time(() => floorUp(docker, fp, services)));
    results.floorDown.push(await time(() => floorDown(docker, fp, services)));
    const bp = `berth-bench-berth-${process.pid}-${r}`;
    results.berthUp.push(await time(() => berthUp(bp, dir)));
    // A second later (as a user re-runs `up`; not while the engine still settles the 40 starts), Node's own
    // start-up, to show how fast the machine is in this spell, then the no-op `up`.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    results.node.push(await time(async () => execFileSync(process.execPath, ["-e", "0"])));
    // A second `up` of the running stack, as a whole CLI process: nothing to do.
    results.noop.push(
      await time(async () => {
        execFileSync(
          process.execPath,
          [new URL("../packages/cli/bin/berth.js", import.meta.url).pathname, "-p", bp, "up", "-d"],
          {
            cwd: dir,
            stdio: "ignore",
          },
        );
      }),
    );
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
if (args.includes("--check") && (upRatio > 1.05 || downRatio > 1.05 || m.noop >= 300)) process.exit(1);
