// Shared helpers for the benchmarks: timing, statistics and the generated stacks.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const BUSYBOX = "berth-examples/busybox:latest";
/** A container that exits at once on SIGTERM, so stop times measure the engine, not a grace period. */
export const IDLE_COMMAND = ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"];

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export async function time(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function ensureBusybox() {
  execFileSync(new URL("../scripts/images", import.meta.url).pathname, { stdio: "inherit" });
}

/** `n` services in a 4-ary tree of depends_on: service i depends on service floor((i-1)/4). */
export function treeServices(n) {
  const services = [];
  for (let i = 0; i < n; i++) {
    services.push({ name: `s${i}`, parent: i === 0 ? undefined : `s${Math.floor((i - 1) / 4)}` });
  }
  return services;
}

export function writeTreeCompose(n) {
  const dir = mkdtempSync(join(tmpdir(), "berth-bench-"));
  const lines = ["services:"];
  for (const s of treeServices(n)) {
    lines.push(`  ${s.name}:`, `    image: ${BUSYBOX}`, `    command: ${JSON.stringify(IDLE_COMMAND)}`);
    if (s.parent) lines.push(`    depends_on: [${s.parent}]`);
  }
  writeFileSync(join(dir, "compose.yaml"), `${lines.join("\n")}\n`);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// The raw engine floor: a plain dockerode script doing the same work as `up -d` of the tree stack (the
// network, then each container created and started as soon as its parent started) and as `down` (each
// container stopped and removed after its children, then the network). No limit on calls at once.

export async function floorUp(docker, project, services) {
  const network = `${project}_default`;
  await docker.createNetwork({ Name: network, Labels: { "com.docker.compose.project": project } });
  const started = new Map();
  for (const s of services) {
    started.set(
      s.name,
      (async () => {
        if (s.parent) await started.get(s.parent);
        const c = await docker.createContainer({
          name: `${project}-${s.name}-1`,
          Image: BUSYBOX,
          Cmd: IDLE_COMMAND,
          Labels: { "com.docker.compose.project": project, "com.docker.compose.service": s.name },
          HostConfig: { NetworkMode: network },
          NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [s.name] } } },
        });
        await c.start();
      })(),
    );
  }
  await Promise.all(started.values());
}

export async function floorDown(docker, project, services) {
  const children = new Map(services.map((s) => [s.name, []]));
  for (const s of services) if (s.parent) children.get(s.parent).push(s.name);
  const removed = new Map();
  const removeOne = (name) => {
    if (!removed.has(name)) {
      removed.set(
        name,
        (async () => {
          await Promise.all(children.get(name).map(removeOne));
          const c = docker.getContainer(`${project}-${name}-1`);
          await c.stop({ t: 10 });
          await c.remove();
        })(),
      );
    }
    return removed.get(name);
  };
  await Promise.all(services.map((s) => removeOne(s.name)));
  await removeNetwork(docker, `${project}_default`);
}

/**
 * Removes a network; `false` when the engine still counts an endpoint on it although no container is
 * attached: dockerd 20.10 sometimes loses count when many containers leave a network at once (moby
 * issue 42119), and only a daemon restart clears it. That is the engine's leak, not the script's.
 */
export async function removeNetwork(docker, name) {
  try {
    await docker.getNetwork(name).remove();
    return true;
  } catch (err) {
    if (err.statusCode !== 403 || !/active endpoints/.test(err.json?.message ?? "")) throw err;
    const attached = Object.keys((await docker.getNetwork(name).inspect()).Containers ?? {});
    if (attached.length) throw err;
    console.error(`bench: ${name}: the engine counts an endpoint with no container (moby 42119), left`);
    return false;
  }
}

export function formatMs(ms) {
  return `${ms.toFixed(0)} ms`;
}

/** The value after `name` on the command line (`--rounds 5`), or `dflt`. */
export function option(name, dflt) {
  const args = process.argv.slice(2);
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
}

/** A numeric option: `--rounds 5`. */
export function numberOption(name, dflt) {
  return Number(option(name, dflt));
}

/**
 * Wall-clock milliseconds of `runs` runs of a command in `cwd` (after one warm-up run that fills the OS
 * file cache). A failing run throws with its stderr.
 */
export function timeRuns(file, argv, { cwd, runs, warmUp = true }) {
  const run = () =>
    execFileSync(file, argv, {
      cwd,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, CI: "true" },
    });
  if (warmUp) run();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times;
}
