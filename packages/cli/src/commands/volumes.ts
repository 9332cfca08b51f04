import type { CommandContext } from "../context.js";
import type { VolumesFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { renderFormat } from "../output/docker-format.js";
import { VOLUMES_TABLE, VOLUME_HEADERS, volumeFields } from "../output/volume-format.js";
import { resolveProjectRef } from "../project-ref.js";

/** `volumes`: the project's volumes, or those the services' running containers mount. */
export async function run(ctx: CommandContext, [services]: [string[]], opts: VolumesFlags): Promise<number> {
  const { name } = await resolveProjectRef(ctx, services);
  const { listProjectVolumes } = await import("@berth/engine");
  const docker = await connect(ctx);
  const volumes = await listProjectVolumes(docker, name, { services });
  if (opts.quiet) ctx.stdout.write(volumes.map((v) => `${v.Name}\n`).join(""));
  else ctx.stdout.write(renderFormat(opts.format, volumes.map(volumeFields), VOLUME_HEADERS, VOLUMES_TABLE));
  return ExitCode.ok;
}
