import { randomBytes } from "node:crypto";
import { type Project, loadProject } from "@berth/compose-schema";
import type Docker from "dockerode";
import { connectDocker } from "../base/docker-client.js";
import { NoSuchServiceError } from "../base/errors.js";
import { Labels } from "../base/labels.js";
import { up } from "../core/up.js";
import { registerTestStack } from "./cleanup.js";
import { TestStackEvents } from "./event-log.js";
import { labelProject } from "./label-project.js";
import { OwnerLabels, currentOwner, ownerLabels } from "./owner.js";
import { reapOrphanedTestStacks } from "./reaper.js";
import { TestStack } from "./test-stack.js";
import { type WaitStrategy, waitForContainer } from "./waits.js";

export interface StartTestStackOptions {
  /** Compose files; without them compose.yaml (and its override) is searched from `cwd` upwards. */
  files?: string[];
  cwd?: string;
  projectDirectory?: string;
  /** Default: `berth-<random>`, unique, so that parallel test files never share a stack. */
  projectName?: string;
  /** Variables over `process.env`, for interpolation. */
  env?: Record<string, string | undefined>;
  profiles?: string[];
  /** true: build every service that has a `build` section; false: never build. Default: build when missing. */
  build?: boolean;
  /**
   * `true`: every service running, and healthy where it has a healthcheck (`up --wait`).
   * An object: strategies per service, each applied to every container of the service, all at once.
   * Default: started is enough.
   */
  wait?: boolean | Record<string, WaitStrategy | WaitStrategy[]>;
  /** Timeout of each wait that does not set its own; 60 s by default. */
  timeoutMs?: number;
  docker?: Docker;
}

const DEFAULT_TIMEOUT_MS = 60_000;

function randomProjectName(): string {
  return `berth-${randomBytes(5).toString("hex")}`;
}

function keepRequested(): boolean {
  const v = process.env.BERTH_KEEP;
  return v !== undefined && v !== "" && v !== "0" && v !== "false";
}

/**
 * Starts a compose project for tests and returns it once the waits are satisfied. The stack is
 * removed by `down()`, `await using`, or at the latest when this process exits; leftovers of killed
 * processes are removed by the next `startTestStack` on this host. `BERTH_KEEP=1` keeps stacks.
 */
export async function startTestStack(opts: StartTestStackOptions = {}): Promise<TestStack> {
  const docker = opts.docker ?? connectDocker();
  const keep = keepRequested();
  await reapOrphanedTestStacks(docker);

  const owner = currentOwner();
  const loaded = await loadProject({
    cwd: opts.cwd,
    files: opts.files,
    projectDirectory: opts.projectDirectory,
    projectName: opts.projectName ?? randomProjectName(),
    env: { ...process.env, ...opts.env },
    profiles: opts.profiles,
  });
  for (const service of typeof opts.wait === "object" ? Object.keys(opts.wait) : [])
    if (!loaded.services[service]) throw new NoSuchServiceError(service);
  const project: Project = labelProject(loaded, ownerLabels(owner, keep));
  const stack = new TestStack(docker, project, new TestStackEvents(), keep);
  if (keep) process.stderr.write(`berth: BERTH_KEEP=1, stack ${project.name} will be kept\n`);
  else
    registerTestStack({
      name: project.name,
      labels: [`${Labels.project}=${project.name}`, `${OwnerLabels.pid}=${owner.pid}`],
      remove: () => stack.down(),
    });

  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    await up(
      docker,
      project,
      {
        build: opts.build === undefined ? undefined : opts.build ? "always" : "never",
        wait: opts.wait === true,
        waitTimeoutMs: timeoutMs,
      },
      stack.events.record,
    );
    if (typeof opts.wait === "object") await runWaits(docker, stack, opts.wait, timeoutMs);
  } catch (err) {
    // The caller needs the failure of up; a failed removal is retried when the process exits.
    await stack.down().catch(() => {});
    throw err;
  }
  return stack;
}

async function runWaits(
  docker: Docker,
  stack: TestStack,
  waits: Record<string, WaitStrategy | WaitStrategy[]>,
  timeoutMs: number,
): Promise<void> {
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`${Labels.project}=${stack.name}`, `${Labels.oneoff}=False`] },
  });
  const pending = Object.entries(waits).flatMap(([service, strategies]) =>
    containers
      .filter((c) => c.Labels[Labels.service] === service)
      .flatMap((c) =>
        [strategies]
          .flat()
          .map((strategy) =>
            waitForContainer(
              docker,
              { service, id: c.Id, name: c.Names[0]?.replace(/^\//, "") ?? c.Id },
              strategy,
              timeoutMs,
            ),
          ),
      ),
  );
  const results = await Promise.allSettled(pending);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
