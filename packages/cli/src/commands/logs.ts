import type { CommandContext } from "../context.js";
import type { LogsFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { UsageError } from "../errors.js";
import { ExitCode } from "../exit-codes.js";
import { useColor } from "../output/colors.js";
import { LogPrefixer } from "../output/log-prefix.js";
import { resolveProjectRef } from "../project-ref.js";
import { parseTimeFlag } from "../time-flag.js";

export async function run(ctx: CommandContext, [services]: [string[]], opts: LogsFlags): Promise<number> {
  const { name } = await resolveProjectRef(ctx, services);
  const { streamLogs } = await import("@berth/engine");
  const docker = await connect(ctx);
  const prefixer = new LogPrefixer({
    color: opts.color && useColor(ctx.global.ansi, ctx.env, ctx.stdout.isTTY),
    prefix: opts.logPrefix,
  });
  const suffix = opts.index === undefined ? undefined : `-${opts.index}`;
  await streamLogs(
    docker,
    name,
    {
      services,
      follow: opts.follow,
      tail: parseTail(opts.tail),
      since: opts.since === undefined ? undefined : parseTimeFlag("--since", opts.since),
      until: opts.until === undefined ? undefined : parseTimeFlag("--until", opts.until),
      timestamps: opts.timestamps,
      onNotice: (text) => ctx.stderr.write(`${text}\n`),
    },
    (line) => {
      if (suffix && !line.container.endsWith(suffix)) return;
      ctx.stdout.write(`${prefixer.format(shortName(name, line.container), line.service, line.text)}\n`);
    },
  );
  return ExitCode.ok;
}

/** compose prefixes log lines with `web-1`, not the full `project-web-1`. */
export function shortName(project: string, container: string): string {
  return container.startsWith(`${project}-`) ? container.slice(project.length + 1) : container;
}

function parseTail(tail: string): number | "all" {
  if (tail === "all" || tail === "-1") return "all";
  const n = Number(tail);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`invalid --tail "${tail}": use a number of lines or all`);
  return n;
}
