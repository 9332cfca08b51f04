// `berth deploy` against `docker stack deploy -c FILE` on the same generated stack of 20 services on the
// local swarm: time from the start of the deploy until every service reports its replicas running, side by
// side, and the ratio. Both resolve no image digest (no registry is reachable here).
//   node bench/deploy.mjs [--services 20] [--rounds 1]
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProject } from "@berth/compose-schema";
import { deploy, removeStack } from "@berth/engine";
import Docker from "dockerode";
import { BUSYBOX, IDLE_COMMAND, ensureBusybox, formatMs, median, time } from "./lib.mjs";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const N = opt("--services", 20);
const ROUNDS = opt("--rounds", 1);
const docker = new Docker();
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

/** The same check for both tools: every service of the stack has all its replicas running. */
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
  await removeStack(docker, stack).catch(() => {});
  for (;;) {
    const [containers, networks] = await Promise.all([
      docker.listContainers({ all: true, filters: stackFilter(stack) }),
      docker.listNetworks({ filters: stackFilter(stack) }),
    ]);
    if (containers.length === 0 && networks.length === 0) return;
    await sleep(200);
  }
}

const state = execFileSync("docker", ["info", "--format", "{{.Swarm.LocalNodeState}}"]).toString().trim();
const initialised = state === "inactive";
if (initialised)
  execFileSync("docker", ["swarm", "init", "--advertise-addr", "127.0.0.1"], { stdio: "ignore" });
ensureBusybox();
const dir = writeStack();
const berthStack = `berth-bench-deploy-b${process.pid}`;
const dockerStack = `berth-bench-deploy-d${process.pid}`;
const times = { berth: [], docker: [] };
try {
  for (let round = 0; round < ROUNDS; round++) {
    times.docker.push(
      await time(async () => {
        execFileSync("docker", [
          "stack",
          "deploy",
          "--detach=true",
          "--resolve-image",
          "never",
          "-c",
          join(dir, "compose.yaml"),
          dockerStack,
        ]);
        await untilRunning(dockerStack);
      }),
    );
    await teardown(dockerStack);
    times.berth.push(
      await time(async () => {
        const project = await loadProject({ cwd: dir, projectName: berthStack, env: {} });
        await deploy(docker, project, { resolveImage: "never" });
        await untilRunning(berthStack);
      }),
    );
    await teardown(berthStack);
  }
} finally {
  await teardown(dockerStack);
  await teardown(berthStack);
  rmSync(dir, { recursive: true, force: true });
  // Tests of others may have started using the swarm this made: only an empty swarm is left.
  const others = execFileSync("docker", ["service", "ls", "-q"]).toString().trim();
  if (initialised && others === "")
    execFileSync("docker", ["swarm", "leave", "--force"], { stdio: "ignore" });
}

const berth = median(times.berth);
const dockerMs = median(times.docker);
console.log(`deploy bench: ${N} services, 1 replica each, ${ROUNDS} round(s), medians`);
console.log(`  docker stack deploy   ${formatMs(dockerMs)}   (until every service runs its replicas)`);
console.log(`  berth deploy          ${formatMs(berth)}`);
console.log(`  ratio berth/docker    ${(berth / dockerMs).toFixed(2)}`);
