import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { currentOwner, ownerAlive, ownerLabels, processStartTime } from "./owner.js";

describe("owner", () => {
  it("reads a process's start time from /proc and knows its own process alive", () => {
    const owner = currentOwner();
    expect(owner.start).toMatch(/^\d+$/);
    expect(processStartTime(process.pid)).toBe(owner.start);
    expect(ownerAlive(owner)).toBe(true);
  });

  it("does not take a reused PID (other start time) for the owner", () => {
    const owner = currentOwner();
    expect(ownerAlive({ ...owner, start: String(Number(owner.start) + 1) })).toBe(false);
  });

  it("sees a process that exited as gone", () => {
    const child = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
    const pid = Number(child.stdout.trim());
    expect(processStartTime(pid)).toBeUndefined();
    expect(ownerAlive({ pid, host: currentOwner().host, start: "12345" })).toBe(false);
  });

  it("labels the owner, and marks kept stacks", () => {
    const owner = { pid: 42, host: "ci-1", start: "777" };
    expect(ownerLabels(owner, false)).toEqual({
      "dev.berth.owner.pid": "42",
      "dev.berth.owner.host": "ci-1",
      "dev.berth.owner.start": "777",
    });
    expect(ownerLabels(owner, true)["dev.berth.keep"]).toBe("true");
  });
});
