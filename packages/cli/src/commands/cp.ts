import type { CommandContext } from "../context.js";
import type { CpFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { UsageError } from "../errors.js";
import { ExitCode } from "../exit-codes.js";
import { showPlan } from "../output/plan.js";
import { resolveProjectRef } from "../project-ref.js";

/** `SERVICE:PATH`, or undefined for a local path (which may itself hold a colon after a slash). */
function remote(arg: string): { service: string; path: string } | undefined {
  const colon = arg.indexOf(":");
  if (colon <= 0 || arg.slice(0, colon).includes("/")) return undefined;
  return { service: arg.slice(0, colon), path: arg.slice(colon + 1) };
}

export async function run(
  ctx: CommandContext,
  [source, destination]: [string, string],
  opts: CpFlags,
): Promise<number> {
  const from = remote(source);
  const to = remote(destination);
  const inContainer = from ?? to;
  if ((from && to) || !inContainer) {
    throw new UsageError("cp copies between a service container and the host: one path must be SERVICE:PATH");
  }
  const { name } = await resolveProjectRef(ctx, [inContainer.service]);
  const { copyFromService, copyToService, planCopy } = await import("@berth/engine");
  const docker = await connect(ctx);
  if (ctx.global.dryRun)
    return showPlan(
      ctx,
      await planCopy(docker, name, inContainer.service, source, destination, { index: opts.index }),
    );
  if (from) await copyFromService(docker, name, from.service, from.path, destination, { index: opts.index });
  else if (to) await copyToService(docker, name, to.service, source, to.path, { index: opts.index });
  return ExitCode.ok;
}
