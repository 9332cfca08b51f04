import type { CommandContext } from "../context.js";
import type { WaitFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { withProgress } from "../progress-run.js";
import { resolveProjectRef } from "../project-ref.js";

/** Prints the exit code of each container as it is known and exits with the first one's. */
export async function run(ctx: CommandContext, services: string[], opts: WaitFlags): Promise<number> {
  const ref = await resolveProjectRef(ctx, services);
  const { down, waitServices } = await import("@berth/engine");
  const docker = await connect(ctx);
  const statuses = await waitServices(docker, ref.name, { services });
  for (const s of statuses) ctx.stdout.write(`${s.exitCode}\n`);
  if (opts.downProject) {
    await withProgress(ctx, (onEvent) => down(docker, ref.name, { project: ref.project }, onEvent));
  }
  return statuses[0]?.exitCode ?? ExitCode.ok;
}
