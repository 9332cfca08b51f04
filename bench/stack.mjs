// A test file's set-up and tear-down of a 3-service stack with a healthcheck: Berth's test-stack API
// (`startTestStack` + `stack.down()`) against the raw engine floor, a plain dockerode script doing the same
// work in the same run: a network, db (healthcheck), api after db is healthy, web after api started;
// then everything removed.
//   node bench/stack.mjs [--rounds 5] [--check]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestStack } from "@berth/engine";
import Docker from "dockerode";
import { BUSYBOX, IDLE_COMMAND, ensureBusybox, formatMs, median, numberOption, time } from "./lib.mjs";

const args = process.argv.slice(2);
const ROUNDS = numberOption("--rounds", 5);
const docker = new Docker();
const HEALTH = { test: ["CMD", "true"], interval: "1s", timeout: "1s", retries: 3 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function writeCompose() {
  const dir = mkdtempSync(join(tmpdir(), "berth-bench-stack-"));
  const cmd = JSON.stringify(IDLE_COMMAND);
  writeFileSync(
    join(dir, "compose.yaml"),
    `services:
  db:
    image: ${BUSYBOX}
    command: ${cmd}
    healthcheck: { test: ["CMD", "true"], interval: 1s, timeout: 1s, retries: 3 }
  api:
    image: ${BUSYBOX}
    command: ${cmd}
    depends_on: { db: { condition: service_healthy } }
  web:
    image: ${BUSYBOX}
    command: ${cmd}
    depends_on: [api]
`,
  );
  return dir;
}

async function floor(project) {
  const network = `${project}_default`;
  const labels = { "com.docker.compose.project": project };
  await docker.createNetwork({ Name: network, Labels: labels });
  const run = async (name, extra = {}) => {
    const c = await docker.createContainer({
      name: `${project}-${name}-1`,
      Image: BUSYBOX,
      Cmd: IDLE_COMMAND,
      Labels: labels,
      HostConfig: { NetworkMode: network },
      NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [name] } } },
      ...extra,
    });
    await c.start();
    return c;
  };
  const db = await run("db", {
    Healthcheck: { Test: HEALTH.test, Interval: 1e9, Timeout: 1e9, Retries: HEALTH.retries },
  });
  while ((await db.inspect()).State.Health?.Status !== "healthy") await sleep(100);
  const api = await run("api");
  const web = await run("web");
  for (const c of [web, api, db]) {
    await c.stop({ t: 0 });
    await c.remove({ v: true });
  }
  await docker.getNetwork(network).remove();
}

async function berth(project, dir) {
  const stack = await startTestStack({ cwd: dir, projectName: project, wait: true });
  await stack.down({ volumes: true });
}

ensureBusybox();
const dir = writeCompose();
const floors = [];
const berths = [];
try {
  for (let r = 0; r < ROUNDS; r++) {
    floors.push(await time(() => floor(`berth-bench-stackfloor-${process.pid}-${r}`)));
    berths.push(await time(() => berth(`berth-bench-stack-${process.pid}-${r}`, dir)));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const ratio = median(berths) / median(floors);
console.log(
  `test-stack bench: 3 services (db healthcheck 1s), set-up + tear-down, ${ROUNDS} rounds, medians`,
);
console.log(
  `  floor ${formatMs(median(floors))}   berth ${formatMs(median(berths))}   ratio ${ratio.toFixed(3)} (target <= 1.1)`,
);
if (args.includes("--check") && ratio > 1.1) process.exit(1);
