import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { removeSwarmStack } from "@berth/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, docker, requireDocker, uniqueProject } from "../../../../test/helpers/docker.js";
// The swarm that every Swarm test shares (it inits and leaves it under a lock): see test-swarm.ts.
import { joinTestSwarm } from "../../../engine/src/swarm/test-swarm.js";
import { BERTH_BIN, runBerth, tempProject } from "./harness.js";

const LOOP = `["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]`;

function composeFile(apiCommand = LOOP): string {
  return `
services:
  api:
    image: ${BUSYBOX}
    command: ${apiCommand}
    stop_grace_period: 1s
    deploy:
      endpoint_mode: dnsrr
      restart_policy: { delay: 1s }
      update_config: { monitor: 2s }
  worker:
    image: ${BUSYBOX}
    command: ${LOOP}
    stop_grace_period: 1s
    deploy: { replicas: 2, endpoint_mode: dnsrr }
`;
}

/** A service no node can run (no node has the label): `--wait` waits until interrupted. */
const UNSCHEDULABLE = `
services:
  stuck:
    image: ${BUSYBOX}
    command: ${LOOP}
    deploy:
      endpoint_mode: dnsrr
      placement: { constraints: [node.labels.berth-test-nowhere==1] }
`;

const stackFilter = (stack: string) => ({ label: [`com.docker.stack.namespace=${stack}`] });

describe.skipIf(!requireDocker())(
  "berth deploy, the real process, on a one-node swarm",
  { timeout: 180_000 },
  () => {
    // Swarm object names allow no dots or underscores inside the stack name.
    const stack = uniqueProject("cli-deploy").replace(/[^a-z0-9-]/g, "");
    const stuck = `${stack}-int`;
    const dir = tempProject({ "compose.yaml": composeFile(), "stuck.yaml": UNSCHEDULABLE });
    let leaveSwarm: (() => Promise<void>) | undefined;
    const berth = (args: string[]) => runBerth(args, { cwd: dir.dir, timeoutMs: 150_000 });

    beforeAll(async () => {
      leaveSwarm = await joinTestSwarm();
    });

    afterAll(async () => {
      try {
        for (const s of [stack, stuck]) await removeSwarmStack(docker, s).catch(() => {});
        dir.cleanup();
      } finally {
        await leaveSwarm?.();
      }
    });

    /** `berth deploy --wait` of the directory's compose.yaml, with the local image as it is. */
    const deployWait = () =>
      berth(["deploy", "-f", "compose.yaml", "-p", stack, "--wait", "--resolve-image", "never"]);

    it("deploy --wait shows each service's progress and exits 0 once every replica runs", async () => {
      const result = await deployWait();
      expect(result.stderr).not.toMatch(/^error/m);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(new RegExp(`^Service ${stack}_api  Created  `, "m"));
      expect(result.stderr).toMatch(
        new RegExp(`^Service ${stack}_api  Running  \\d+\\.\\ds  1/1 running$`, "m"),
      );
      expect(result.stderr).toMatch(
        new RegExp(`^Service ${stack}_worker  Running  \\d+\\.\\ds  2/2 running$`, "m"),
      );
      const services = await docker.listServices({ filters: stackFilter(stack) });
      expect(services).toHaveLength(2);
    });

    it("deploy --dry-run prints the plan with its reasons and changes nothing", async () => {
      writeFileSync(path.join(dir.dir, "more.yaml"), composeFile().replace("replicas: 2", "replicas: 3"));
      const versions = async () =>
        ((await docker.listServices({ filters: stackFilter(stack) })) as { Version: { Index: number } }[])
          .map((s) => s.Version.Index)
          .sort();
      const before = await versions();
      const result = await berth([
        "deploy",
        "-f",
        "more.yaml",
        "-p",
        stack,
        "--dry-run",
        "--resolve-image",
        "never",
      ]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(
        `Service ${stack}_api  Up-to-date  (up to date)\n` +
          `Service ${stack}_worker  Updated  (changed: Mode.Replicated.Replicas)\n`,
      );
      // The global flag plans the same; `deploy rm --dry-run` prints its removal plan and removes nothing.
      const global = await berth([
        "--dry-run",
        "deploy",
        "-f",
        "more.yaml",
        "-p",
        stack,
        "--resolve-image",
        "never",
      ]);
      expect(global.code).toBe(0);
      expect(global.stdout).toBe(result.stdout);
      const rm = await berth(["--dry-run", "deploy", "rm", stack]);
      expect(rm.code).toBe(0);
      expect(rm.stdout).toBe(
        `Service ${stack}_api  Removed  (in stack ${stack})\n` +
          `Service ${stack}_worker  Removed  (in stack ${stack})\n` +
          `Network ${stack}_default  Removed  (in stack ${stack})\n`,
      );
      expect(await versions()).toEqual(before);
    });

    it("deploy ls lists the stack with its number of services", async () => {
      const ls = await berth(["deploy", "ls"]);
      expect(ls.code).toBe(0);
      expect(ls.stdout.split("\n")[0]).toMatch(/^NAME\s+SERVICES$/);
      expect(ls.stdout).toMatch(new RegExp(`^${stack}\\s+2$`, "m"));
    });

    it("deploy ps lists the stack's tasks, all running", async () => {
      const ps = await berth(["deploy", "ps", "-p", stack]);
      expect(ps.code).toBe(0);
      expect(ps.stdout.split("\n")[0]).toMatch(
        /^ID\s+NAME\s+IMAGE\s+NODE\s+DESIRED STATE\s+CURRENT STATE\s+ERROR$/,
      );
      const rows = ps.stdout.trim().split("\n").slice(1);
      expect(rows.map((r) => r.split(/\s+/)[1]).sort()).toEqual([
        `${stack}_api.1`,
        `${stack}_worker.1`,
        `${stack}_worker.2`,
      ]);
      expect(rows.every((r) => /\srunning\s+running\b/.test(r))).toBe(true);
      const one = await berth(["deploy", "ps", "-p", stack, "api", "--format", "json"]);
      expect(JSON.parse(one.stdout)).toEqual([
        expect.objectContaining({ name: `${stack}_api.1`, service: "api", currentState: "running" }),
      ]);
    });

    it("a failing update with --wait exits 1 naming the service and the task error", async () => {
      writeFileSync(path.join(dir.dir, "compose.yaml"), composeFile(`["sh", "-c", "exit 1"]`));
      const result = await deployWait();
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: service api failed: .*non-zero exit \(1\)/m);
      // Only the changed service was updated.
      expect(result.stderr).toMatch(new RegExp(`^Service ${stack}_worker  Up-to-date`, "m"));
    });

    it("the first Ctrl-C stops waiting, exits 130 and leaves the stack deployed", async () => {
      const child = spawn(
        process.execPath,
        [BERTH_BIN, "deploy", "-f", "stuck.yaml", "-p", stuck, "--wait", "--resolve-image", "never"],
        { cwd: dir.dir, env: { ...process.env, CI: undefined, FORCE_COLOR: undefined } },
      );
      let stderr = "";
      const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
      try {
        // Interrupt once the process waits for the service's tasks (which never get a node).
        await new Promise<void>((resolve, reject) => {
          child.stderr.on("data", (d) => {
            stderr += d;
            if (stderr.includes(`Service ${stuck}_stuck  Waiting`)) resolve();
          });
          exited.then(() => reject(new Error(`deploy ended before waiting: ${stderr}`)));
        });
        child.kill("SIGINT");
        // Prompt: well within vitest's limit, not a speed figure (a hang fails here, not at the timeout).
        const code = await Promise.race([
          exited,
          new Promise((r) => setTimeout(() => r("still running 30 s after Ctrl-C"), 30_000)),
        ]);
        expect(code).toBe(130);
        expect(stderr).toMatch(/^Interrupted: stopped waiting\. Stack .* stays as deployed/m);
        // Left as deployed, like docker stack deploy: the service is there, still wanting its replica.
        const services = (await docker.listServices({ filters: stackFilter(stuck) })) as unknown as {
          Spec: { Name: string };
        }[];
        expect(services.map((s) => s.Spec.Name)).toEqual([`${stuck}_stuck`]);
      } finally {
        child.kill("SIGKILL");
      }
    });

    it("deploy rm removes the stacks' services and networks", async () => {
      for (const s of [stack, stuck]) {
        const rm = await berth(["deploy", "rm", s]);
        expect(rm.code).toBe(0);
        expect(rm.stderr).toMatch(new RegExp(`^Network ${s}_default  Removed`, "m"));
        expect(await docker.listServices({ filters: stackFilter(s) })).toHaveLength(0);
      }
      expect((await berth(["deploy", "ls"])).stdout).not.toContain(stack);
    });
  },
);
