// `berth deploy` against `docker stack deploy` on the same generated stack of 20 services on the local
// swarm, side by side: time from starting the command until every service reports its replicas running.
//
// Both sides are measured the same way: the real command runs as a process (`docker stack deploy
// --detach=true -c FILE`, `berth deploy --detach -f FILE`: both return once the engine accepted the
// specs), then this script's own poll of the engine (one `listServices` with status every 100 ms)
// decides when every replica runs. A second Berth row runs `berth deploy --wait`, which returns only
// once its own wait has seen every replica running; the same poll then confirms it. Docker 28's
// `--detach=false` wait adds a stability check of several seconds per service, one service after the
// other (108 s for this stack here), so it is only measured with --docker-wait. Neither side resolves
// image digests (no registry is reachable here). The order of the tools alternates from round to round,
// and one untimed deploy first warms up a freshly made swarm.
//   node bench/deploy.mjs [--services 20] [--rounds 3] [--docker-wait] [--no-berth-wait]
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { removeSwarmStack } from "@berth/engine";
import Docker from "dockerode";
import { joinTestSwarm } from "../packages/engine/dist/swarm/test-swarm.js";
import { BUSYBOX, IDLE_COMMAND, ensureBusybox, formatMs, median, numberOption, time } from "./lib.mjs";

const args = process.argv.slice(2);
const N = numberOption("--services", 20);
const ROUNDS = numberOption("--rounds", 3);
const DOCKER_WAIT = args.includes("--docker-wait");
const BERTH_WAIT = !args.includes("--no-berth-wait");
const BERTH = new URL("../packages/cli/bin/berth.js", import.meta.url).pathname;
const docker = new Docker();
const run = promisify(execFile);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function writeStack() {
  const dir = mkdtempSync(join(tmpdir(), "berth-bench-deploy-"));
  const lines = ["services:"];
  for (let i = 0; i < N; i++) {
    lines.push(
      `  s${i}:`,
      `    image: ${BUSYBOX}`,
      `    command: ${JSON.stringify(IDLE_COMMAND)}`,
      "    stop_grace_period: 1s",
      "    deploy: { endpoint_mode: dnsrr, replicas: 1 }",
    );
  }
  writeFileSync(join(dir, "compose.yaml"), `${lines.join("\n")}\n`);
  return dir;
}

const stackFilter = (stack) => ({ label: [`com.docker.stack.namespace=${stack}`] });

/** The same check for every tool: every service of the stack has all its replicas running. */
async function untilRunning(stack) {
  for (;;) {
    const services = await docker.listServices({ filters: stackFilter(stack), status: true });
    if (
      services.length === N &&
      services.every((s) => s.ServiceStatus && s.ServiceStatus.RunningTasks === s.ServiceStatus.DesiredTasks)
    )
      return;
    await sleep(100);
  }
}

/** Removes the stack and waits until its containers and network are gone, so rounds do not overlap. */
async function teardown(stack) {
  await removeSwarmStack(docker, stack).catch(() => {});
  for (;;) {
    const [containers, networks] = await Promise.all([
      docker.listContainers({ all: true, filters: stackFilter(stack) }),
      docker.listNetworks({ filters: stackFilter(stack) }),
    ]);
    if (containers.length === 0 && networks.length === 0) return;
    await sleep(200);
  }
}

const dir = writeStack();
const file = join(dir, "compose.yaml");
const variants = {
  docker: (stack) =>
    run("docker", ["stack", "deploy", "--detach=true", "--resolve-image", "never", "-c", file, stack]),
  berth: (stack) =>
    run(process.execPath, [BERTH, "deploy", "-f", file, "-p", stack, "--detach", "--resolve-image", "never"]),
  ...(BERTH_WAIT && {
    "berth --wait": (stack) =>
      run(process.execPath, [BERTH, "deploy", "-f", file, "-p", stack, "--wait", "--resolve-image", "never"]),
  }),
  ...(DOCKER_WAIT && {
    "docker --detach=false": (stack) =>
      run("docker", ["stack", "deploy", "--detach=false", "--resolve-image", "never", "-c", file, stack]),
  }),
};
const names = Object.keys(variants);
const times = Object.fromEntries(names.map((n) => [n, []]));
const stacks = names.map((_, i) => `berth-bench-deploy-${i}-${process.pid}`);

ensureBusybox();
const leaveSwarm = await joinTestSwarm();
try {
  // A swarm made a moment ago makes its first overlay network and task slower: not part of any figure.
  await variants.docker(stacks[0]);
  await untilRunning(stacks[0]);
  await teardown(stacks[0]);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const stack = stacks[names.indexOf(name)];
      times[name].push(
        await time(async () => {
          await variants[name](stack);
          await untilRunning(stack);
        }),
      );
      await teardown(stack);
    }
  }
} finally {
  for (const stack of stacks) await teardown(stack);
  rmSync(dir, { recursive: true, force: true });
  await leaveSwarm();
}

const docker0 = median(times.docker);
console.log(`deploy bench: ${N} services, 1 replica each, ${ROUNDS} round(s), medians (all rounds in ms)`);
for (const name of names) {
  const m = median(times[name]);
  const all = times[name].map((t) => t.toFixed(0)).join(", ");
  let ratio = "";
  if (name !== "docker") {
    // Rounds run side by side, so each round's own ratio cancels most of the load of the moment.
    const paired = median(times[name].map((t, i) => t / times.docker[i]));
    ratio = `   ratio to docker: ${(m / docker0).toFixed(2)} (medians), ${paired.toFixed(2)} (median of rounds)`;
  }
  console.log(`  ${name.padEnd(22)}${formatMs(m).padStart(10)}   [${all}]${ratio}`);
}
