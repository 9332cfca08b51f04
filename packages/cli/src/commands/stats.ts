import type { ContainerStats } from "@berth/engine";
import type { CommandContext } from "../context.js";
import type { StatsFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { Interrupt } from "../interrupt.js";
import { renderFormat } from "../output/docker-format.js";
import { STATS_HEADERS, STATS_TABLE, statsFields } from "../output/stats-format.js";
import { resolveProjectRef } from "../project-ref.js";

/** docker redraws the table twice a second. */
const FRAME_MS = 500;

/** `stats [SERVICE]`: the containers' resource usage, live until Ctrl-C, or once with --no-stream. */
export async function run(
  ctx: CommandContext,
  [service]: [string | undefined],
  opts: StatsFlags,
): Promise<number> {
  const render = (stats: ContainerStats[]) =>
    renderFormat(
      opts.format,
      stats.map((s) => statsFields(s, opts.trunc)),
      STATS_HEADERS,
      STATS_TABLE,
    );
  // A bad template is a usage error before anything is asked of the engine.
  render([]);
  const { name } = await resolveProjectRef(ctx, service === undefined ? [] : [service]);
  const engine = await import("@berth/engine");
  const docker = await connect(ctx);
  const selection = { service, all: opts.all };
  if (!opts.stream) {
    const stats = await engine.statsSnapshot(docker, name, selection);
    // Like docker: no containers, no output (not even the header).
    if (stats.length > 0) ctx.stdout.write(render(stats));
    return ExitCode.ok;
  }

  const interrupt = new Interrupt();
  const watch = engine.watchStats(docker, name, selection, interrupt.signal);
  const draw = () => {
    const text = render(watch.current());
    // On a terminal each frame is drawn over the last, as docker does; a pipe gets the frames in turn.
    ctx.stdout.write(ctx.stdout.isTTY ? `\x1b[H${text.replace(/\n/g, "\x1b[K\n")}\x1b[J` : text);
  };
  try {
    await Promise.race([watch.ready, interrupt.first()]);
    if (!interrupt.interrupted) draw();
    const timer = setInterval(draw, FRAME_MS);
    await watch.done.finally(() => clearInterval(timer));
  } finally {
    interrupt.dispose();
  }
  return interrupt.interrupted ? ExitCode.interrupted : ExitCode.ok;
}
