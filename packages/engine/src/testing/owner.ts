import { readFileSync } from "node:fs";
import { hostname } from "node:os";

/** Labels on everything a test stack creates: who owns it, so that leftovers of dead owners can go. */
export const OwnerLabels = {
  pid: "dev.berth.owner.pid",
  host: "dev.berth.owner.host",
  /** The owner's start time (clock ticks since boot): a reused PID is not the owner. */
  start: "dev.berth.owner.start",
  /** Set under `BERTH_KEEP=1`: the stack outlives its owner on purpose and is never reaped. */
  keep: "dev.berth.keep",
} as const;

/** Field 22 of `/proc/<pid>/stat`; undefined when the process does not exist or there is no /proc. */
export function processStartTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may itself contain spaces or parentheses.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[22 - 3];
}

function hasProc(): boolean {
  return processStartTime(process.pid) !== undefined;
}

export interface Owner {
  pid: number;
  host: string;
  /** Empty where there is no /proc: the PID alone then identifies the owner. */
  start: string;
}

export function currentOwner(): Owner {
  return { pid: process.pid, host: hostname(), start: processStartTime(process.pid) ?? "" };
}

export function ownerLabels(owner: Owner, keep: boolean): Record<string, string> {
  return {
    [OwnerLabels.pid]: String(owner.pid),
    [OwnerLabels.host]: owner.host,
    [OwnerLabels.start]: owner.start,
    ...(keep ? { [OwnerLabels.keep]: "true" } : {}),
  };
}

/** Whether the process that labelled a resource on this host still runs. */
export function ownerAlive(owner: Owner): boolean {
  if (owner.start !== "" && hasProc()) return processStartTime(owner.pid) === owner.start;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
