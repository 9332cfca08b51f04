import type { CommandContext } from "../context.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { interruptible } from "../interrupt.js";
import { withProgress } from "../progress-run.js";
import { loadFromCli } from "../project.js";
import { selectServices } from "../services-arg.js";

export interface PullOptions {
  ignorePullFailures?: boolean;
  quiet?: boolean;
}

export async function run(ctx: CommandContext, services: string[], opts: PullOptions): Promise<number> {
  const project = await loadFromCli(ctx, { services });
  const { pullImages } = await import("@berth/engine");
  const docker = await connect(ctx);
  const names = selectServices(project, services);
  // Ctrl-C cancels the pulls in flight, even one the registry never answers, and exits 130.
  return interruptible(async (signal) => {
    try {
      await withProgress(
        ctx,
        (onEvent) => pullImages(docker, project, names, { parallel: ctx.global.parallel, signal }, onEvent),
        { quiet: opts.quiet },
      );
    } catch (error) {
      // The failures are already shown on their rows.
      if (signal.aborted || !opts.ignorePullFailures) throw error;
    }
    return ExitCode.ok;
  });
}
