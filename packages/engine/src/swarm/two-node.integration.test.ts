import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProject } from "@berth/compose-schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, docker, requireDocker, uniqueProject } from "../../../../test/helpers/docker.js";
import type { ApiTask } from "./api-types.js";
import { deploy } from "./deploy.js";
import { removeSwarmStack } from "./swarm-stack-ops.js";

/**
 * A second node: a second dockerd in its own network namespace, as shared/notes/swarm-on-one-machine.md
 * describes. It takes machine-wide resources (a namespace, 10.222.0.0/30, the engine's swarm), so it runs
 * only when asked: BERTH_TWO_NODE=1, as root, with the engine in no swarm; otherwise the suite skips.
 */
const NS = "berth-n2";
const N2 = ["-H", "unix:///var/run/docker-n2.sock"];
const sh = (script: string) =>
  execFileSync("sh", ["-c", script], { stdio: "pipe", timeout: 60_000 }).toString();

function canRun(): boolean {
  if (process.env.BERTH_TWO_NODE !== "1" || !requireDocker() || process.getuid?.() !== 0) return false;
  if (existsSync(`/var/run/netns/${NS}`) || existsSync("/var/run/docker-n2.sock")) return false;
  return sh("docker info --format '{{.Swarm.LocalNodeState}}'").trim() === "inactive";
}

const LOOP = `["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]`;
const COMPOSE = `
services:
  everywhere:
    image: ${BUSYBOX}
    command: ${LOOP}
    stop_grace_period: 1s
    deploy: { mode: global, endpoint_mode: dnsrr }
  spread:
    image: ${BUSYBOX}
    command: ${LOOP}
    stop_grace_period: 1s
    deploy: { replicas: 2, endpoint_mode: dnsrr, placement: { max_replicas_per_node: 1 } }
  pinned:
    image: ${BUSYBOX}
    command: ${LOOP}
    stop_grace_period: 1s
    deploy: { endpoint_mode: dnsrr, placement: { constraints: [node.labels.berth-zone==b] } }
`;

describe.skipIf(!canRun())("berth deploy on a two-node swarm", { timeout: 180_000 }, () => {
  const stack = uniqueProject("swarm2").replace(/[^a-z0-9-]/g, "");
  const dir = mkdtempSync(join(tmpdir(), "berth-swarm2-"));
  let dockerd: ChildProcess | undefined;
  let node2 = "";
  /** Set once this suite starts making the second node: teardown touches nothing before that. */
  let owned = false;

  beforeAll(async () => {
    // Another suite may have made a swarm since this one was collected: never join or touch it.
    if (sh("docker info --format '{{.Swarm.LocalNodeState}}'").trim() !== "inactive") {
      throw new Error("the engine joined a swarm meanwhile: run the two-node suite on its own");
    }
    owned = true;
    sh(`ip netns add ${NS}
      ip link add berth-h2 type veth peer name berth-c2
      ip link set berth-c2 netns ${NS}
      ip addr add 10.222.0.1/30 dev berth-h2 && ip link set berth-h2 up
      ip netns exec ${NS} sh -c 'ip addr add 10.222.0.2/30 dev berth-c2 && ip link set berth-c2 up && ip link set lo up'
      mkdir -p /var/lib/docker-n2 /var/run/docker-n2`);
    const log = openSync(join(dir, "dockerd-n2.log"), "w");
    // nsenter, not `ip netns exec`, which remounts /sys and hides the cgroups.
    dockerd = spawn(
      "nsenter",
      [
        `--net=/var/run/netns/${NS}`,
        "dockerd",
        "--data-root=/var/lib/docker-n2",
        "--exec-root=/var/run/docker-n2",
        "--pidfile=/var/run/docker-n2.pid",
        "-H",
        "unix:///var/run/docker-n2.sock",
        "--bridge=none",
        "--iptables=false",
      ],
      { stdio: ["ignore", log, log] },
    );
    for (
      let i = 0;
      i < 60 && !sh(`docker ${N2.join(" ")} info --format ok 2>/dev/null || true`).includes("ok");
      i++
    ) {
      await new Promise((r) => setTimeout(r, 500));
    }
    sh("docker swarm init --advertise-addr 10.222.0.1");
    sh(
      `docker ${N2.join(" ")} swarm join --token "$(docker swarm join-token -q worker)" --advertise-addr 10.222.0.2 10.222.0.1:2377`,
    );
    sh(`docker save ${BUSYBOX} | docker ${N2.join(" ")} load`);
    node2 = sh(`docker ${N2.join(" ")} info --format '{{.Swarm.NodeID}}'`).trim();
    sh(`docker node update --label-add berth-zone=b ${node2}`);
    writeFileSync(join(dir, "compose.yaml"), COMPOSE);
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (!owned) return;
    await removeSwarmStack(docker, stack).catch(() => {});
    const steps = [
      `docker ${N2.join(" ")} swarm leave --force`,
      "docker swarm leave --force",
      "kill $(cat /var/run/docker-n2.pid)",
    ];
    for (const step of steps) {
      try {
        sh(step);
      } catch {
        // Tear down as much as possible even when a step fails.
      }
    }
    if (dockerd && dockerd.exitCode === null) await new Promise((r) => dockerd?.once("exit", r));
    for (const step of [
      `ip netns del ${NS}`,
      "ip link del berth-h2",
      "rm -rf /var/lib/docker-n2 /var/run/docker-n2",
    ]) {
      try {
        sh(step);
      } catch {
        // The veth goes with the namespace; the link delete only matters when the namespace was not made.
      }
    }
  });

  it("runs global services on every node and honours placement", async () => {
    const project = await loadProject({ cwd: dir, projectName: stack, env: {} });
    await deploy(docker, project, { resolveImage: "never", waitTimeoutSeconds: 120 });
    const nodesOf = async (service: string) => {
      const tasks = (await docker.listTasks({
        filters: { service: [`${stack}_${service}`], "desired-state": ["running"] },
      })) as ApiTask[];
      return tasks.map((t) => t.NodeID).sort();
    };
    const [everywhere, spread, pinned] = await Promise.all([
      nodesOf("everywhere"),
      nodesOf("spread"),
      nodesOf("pinned"),
    ]);
    expect(new Set(everywhere).size).toBe(2);
    expect(everywhere).toHaveLength(2);
    expect(new Set(spread).size).toBe(2);
    expect(pinned).toEqual([node2]);
  });
});
