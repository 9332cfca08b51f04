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

export function formatMs(ms) {
  return `${ms.toFixed(0)} ms`;
}
