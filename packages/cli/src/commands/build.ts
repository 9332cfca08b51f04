import type { CommandContext } from "../context.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { withProgress } from "../progress-run.js";
import { loadFromCli } from "../project.js";
import { selectServices } from "../services-arg.js";

export interface BuildOptions {
  quiet?: boolean;
}

export async function run(ctx: CommandContext, services: string[], opts: BuildOptions): Promise<number> {
  const project = await loadFromCli(ctx, { services });
  const { buildImages } = await import("@berth/engine");
  const docker = await connect(ctx);
  const names = selectServices(project, services);
  await withProgress(
    ctx,
    (onEvent) => buildImages(docker, project, names, { parallel: ctx.global.parallel }, onEvent),
    { quiet: opts.quiet },
  );
  return ExitCode.ok;
}
