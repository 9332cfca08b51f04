import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { CommandContext } from "../context.js";
import type { ExportFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { CliError } from "../errors.js";
import { ExitCode } from "../exit-codes.js";
import { showPlan } from "../output/plan.js";
import { resolveProjectRef } from "../project-ref.js";

/** `export SERVICE`: the container's filesystem as a tar archive, to `-o FILE` or to a non-terminal stdout. */
export async function run(ctx: CommandContext, [service]: [string], opts: ExportFlags): Promise<number> {
  if (!opts.output && ctx.stdout.isTTY) {
    throw new CliError(
      "EXPORT_TO_TERMINAL",
      "output option is required when exporting to terminal: use -o FILE or redirect stdout",
    );
  }
  const { name } = await resolveProjectRef(ctx, [service]);
  const { exportService, planExport } = await import("@berth/engine");
  const docker = await connect(ctx);
  if (ctx.global.dryRun)
    return showPlan(ctx, await planExport(docker, name, service, { index: opts.index, output: opts.output }));
  const archive = await exportService(docker, name, service, { index: opts.index });
  if (!opts.output) {
    await pipeline(archive, ctx.stdout, { end: false });
    return ExitCode.ok;
  }
  await writeAtomically(opts.output, archive);
  return ExitCode.ok;
}

/**
 * Writes beside the target, then renames: an interrupted export never leaves a truncated archive under
 * the name asked for (compose writes through an atomic writer, mode 0600, too).
 */
async function writeAtomically(target: string, data: NodeJS.ReadableStream): Promise<void> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    await pipeline(data, createWriteStream(temp, { mode: 0o600 }));
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
