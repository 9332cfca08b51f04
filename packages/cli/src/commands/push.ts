import type { CommandContext } from "../context.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { withProgress } from "../progress-run.js";
import { loadFromCli } from "../project.js";
import { selectServices } from "../services-arg.js";

export interface PushOptions {
  ignorePushFailures?: boolean;
  quiet?: boolean;
}

export async function run(ctx: CommandContext, services: string[], opts: PushOptions): Promise<number> {
  const project = await loadFromCli(ctx, { services });
  const { pushImages } = await import("@berth/engine");
  const docker = await connect(ctx);
  const names = selectServices(project, services);
  try {
    await withProgress(ctx, (onEvent) => pushImages(docker, project, names, onEvent), { quiet: opts.quiet });
  } catch (error) {
    if (!opts.ignorePushFailures) throw error;
  }
  return ExitCode.ok;
}
