import { type EngineEvent, WATCH_ACTION } from "@berth/engine";
import type { CommandContext } from "../context.js";
import { red, useColor, yellow } from "./colors.js";
import { type ProgressRenderer, createProgress, resolveProgressMode } from "./progress.js";
import { redactEvent } from "./redact.js";
import { plannedLine } from "./rows.js";

/**
 * Output of a watch: one line per service and burst (`app: synced 12 files (3 removed) in 84 ms`),
 * between the progress of the rebuilds. The interactive list would fight the logs of `up --watch` for
 * the terminal, so a terminal gets plain lines too; json stays json (the summaries are events with
 * action "Watch"); quiet shows only failures and warnings.
 */
export async function createWatchOutput(ctx: CommandContext): Promise<ProgressRenderer> {
  const out = ctx.stderr;
  const color = useColor(ctx.global.ansi, ctx.env, out.isTTY);
  const resolved = resolveProgressMode(ctx.global.progress, ctx.env, out.isTTY);
  const mode = resolved === "tty" ? "plain" : resolved;
  const progress = await createProgress(mode, { out, color });
  if (mode === "json") return progress;
  return {
    onEvent(event: EngineEvent) {
      const planned = event.status === "planned" && event.action !== WATCH_ACTION;
      if (event.action !== WATCH_ACTION && !planned) return progress.onEvent(event);
      if (mode === "quiet" && event.status !== "error" && event.status !== "warning") return;
      const shown = redactEvent(event);
      // A dry run plans each rebuild anew: its steps are printed every time, not folded into rows.
      out.write(`${planned ? plannedLine(shown) : watchLine(shown, color)}\n`);
    },
    close: () => progress.close(),
  };
}

export function watchLine(event: EngineEvent, color: boolean): string {
  const line = `${event.service ?? event.name}: ${event.detail ?? event.error?.message ?? ""}`;
  if (color && event.status === "error") return red(line);
  if (color && event.status === "warning") return yellow(line);
  return line;
}
