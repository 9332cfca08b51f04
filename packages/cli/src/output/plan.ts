import type { PlannedStep } from "@berth/engine";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import { withProgress } from "../progress-run.js";

/** Prints a plan through the progress display the flags ask for, one row per step with its reason. */
export async function showPlan(ctx: CommandContext, steps: PlannedStep[]): Promise<number> {
  const { plannedEvent } = await import("@berth/engine");
  await withProgress(ctx, async (onEvent) => {
    for (const step of steps) onEvent(plannedEvent(step));
  });
  return ExitCode.ok;
}
