import type { CommandContext } from "../context.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { withProgress } from "../progress-run.js";
import { resolveProjectRef } from "../project-ref.js";

export interface DownOptions {
  rmi?: "local" | "all";
  volumes?: boolean;
  removeOrphans?: boolean;
  timeout?: number;
}

/** Works from the compose file, or from the project name alone once the file is gone. */
export async function run(ctx: CommandContext, _args: string[], opts: DownOptions): Promise<number> {
  const ref = await resolveProjectRef(ctx);
  const { down } = await import("@berth/engine");
  const docker = await connect(ctx);
  await withProgress(ctx, (onEvent) =>
    down(
      docker,
      ref.name,
      {
        project: ref.project,
        volumes: opts.volumes,
        rmi: opts.rmi,
        removeOrphans: opts.removeOrphans,
        timeoutSeconds: opts.timeout,
      },
      onEvent,
    ),
  );
  return ExitCode.ok;
}
