import type * as ChildProcess from "node:child_process";
import { createRequire } from "node:module";

/** A stack this process started and has not removed yet. */
export interface LiveTestStack {
  name: string;
  /** `key=value` labels that select exactly this stack's resources. */
  labels: string[];
  /** Removes the stack (and unregisters it). */
  remove(): Promise<void>;
}

const live = new Map<string, LiveTestStack>();

/**
 * For the `exit` event, where nothing asynchronous runs any more: a child node removes the resources
 * by their labels. Plain CommonJS, so it runs the same from the sources (tests) and from dist.
 */
const EXIT_SCRIPT = `
const Docker = require(process.argv[1]);
const docker = new Docker();
const gone = () => {};
(async () => {
  for (const label of JSON.parse(process.argv[2])) {
    const filters = { label };
    for (const c of await docker.listContainers({ all: true, filters }))
      await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(gone);
    for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(gone);
    for (const v of (await docker.listVolumes({ filters })).Volumes ?? [])
      await docker.getVolume(v.Name).remove().catch(gone);
  }
})().catch((err) => {
  console.error("berth: could not remove test stacks on exit: " + err.message);
  process.exitCode = 1;
});
`;

const EXIT_TIMEOUT_MS = 30_000;
const SIGNAL_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

async function removeAll(): Promise<void> {
  await Promise.allSettled([...live.values()].map((s) => s.remove()));
}

function onExit(): void {
  if (live.size === 0) return;
  const require = createRequire(import.meta.url);
  const dockerode = require.resolve("dockerode");
  // Required here, not imported: every command loads this module, few ever leave a test stack behind.
  const { spawnSync } = require("node:child_process") as typeof ChildProcess;
  const labels = [...live.values()].map((s) => s.labels);
  live.clear();
  spawnSync(process.execPath, ["-e", EXIT_SCRIPT, dockerode, JSON.stringify(labels)], {
    stdio: ["ignore", "ignore", "inherit"],
    timeout: EXIT_TIMEOUT_MS,
  });
}

function onBeforeExit(): void {
  // The event loop ran dry with stacks still up: remove them; `beforeExit` comes again afterwards.
  void removeAll();
}

let stopping = false;
function onSignal(signal: keyof typeof SIGNAL_CODES): void {
  const code = SIGNAL_CODES[signal];
  // A second Ctrl-C does not wait: the exit handler still removes what is left, synchronously.
  if (stopping) process.exit(code);
  stopping = true;
  void removeAll().finally(() => process.exit(code));
}
const onSigint = () => onSignal("SIGINT");
const onSigterm = () => onSignal("SIGTERM");

/** Handlers are installed only while stacks live, so that they change nothing for other processes. */
function install(): void {
  process.on("exit", onExit);
  process.on("beforeExit", onBeforeExit);
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigterm);
}

function uninstall(): void {
  process.off("exit", onExit);
  process.off("beforeExit", onBeforeExit);
  process.off("SIGINT", onSigint);
  process.off("SIGTERM", onSigterm);
}

export function registerTestStack(stack: LiveTestStack): void {
  if (live.size === 0) install();
  live.set(stack.name, stack);
}

export function unregisterTestStack(name: string): void {
  if (!live.delete(name)) return;
  if (live.size === 0 && !stopping) uninstall();
}

/** Names of the stacks this process would remove on exit. */
export function liveTestStacks(): string[] {
  return [...live.keys()];
}
