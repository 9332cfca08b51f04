import type Docker from "dockerode";
import { containerLogLines } from "../container-logs.js";
import { type PollOptions, pollUntil } from "./poll.js";
import { type Probe, type ProbeResult, describeState } from "./probes.js";

/** Log lines a failure report quotes, so that a failed wait explains itself. */
const REPORT_LOG_LINES = 15;

/** Why a container did not become ready: the one report every waiter turns into its own error. */
export type ReadinessFailure = Extract<ProbeResult, { ready: false }> & {
  /** The deadline passed (else the probe found it can never succeed: `fatal`). */
  timedOut: boolean;
  /** The container's engine state at the last look, e.g. `running, starting` or `exited with code 1`. */
  state: string;
  lastLogLines: string[];
};

export type ReadinessOutcome = Extract<ProbeResult, { ready: true }> | ReadinessFailure;

/** Inspects and probes one container until the probe is satisfied, fails for good, or time runs out. */
export async function waitUntilReady(
  container: Docker.Container,
  probe: Probe,
  opts: Omit<PollOptions, "wake"> = {},
): Promise<ReadinessOutcome> {
  let info: Docker.ContainerInspectInfo | undefined;
  const { last, timedOut } = await pollUntil(async (budgetMs) => {
    info = await container.inspect();
    return probe({ container, info, budgetMs });
  }, opts);
  if (last.ready) return last;
  return {
    ...last,
    timedOut,
    state: info ? describeState(info) : "unknown",
    // The report is best effort: a container removed meanwhile has no logs to quote.
    lastLogLines: await containerLogLines(container, REPORT_LOG_LINES).catch(() => []),
  };
}
