import type { EventListener } from "@berth/engine";
import type { CommandContext } from "./context.js";
import { useColor } from "./output/colors.js";
import { createProgress, resolveProgressMode } from "./output/progress.js";

/**
 * Runs an engine operation with the progress display the flags ask for. Progress goes to stderr, like
 * docker compose, so that stdout carries only results and logs.
 */
export async function withProgress<T>(
  ctx: CommandContext,
  operation: (onEvent: EventListener) => Promise<T>,
  options: { quiet?: boolean; interactive?: boolean } = {},
): Promise<T> {
  const out = ctx.stderr;
  let mode = options.quiet ? "quiet" : resolveProgressMode(ctx.global.progress, ctx.env, out.isTTY);
  // The interactive list owns the terminal; operations that also attach a container use plain lines.
  if (mode === "tty" && options.interactive === false) mode = "plain";
  const renderer = await createProgress(mode, { out, color: useColor(ctx.global.ansi, ctx.env, out.isTTY) });
  try {
    return await operation((event) => renderer.onEvent(event));
  } finally {
    await renderer.close();
  }
}
