import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import { berthVersion } from "../version.js";

export interface VersionOptions {
  format: "pretty" | "json";
  short?: boolean;
}

export async function run(ctx: CommandContext, _args: string[], opts: VersionOptions): Promise<number> {
  const version = berthVersion();
  if (opts.short) ctx.stdout.write(`${version}\n`);
  else if (opts.format === "json") ctx.stdout.write(`${JSON.stringify({ version: `v${version}` })}\n`);
  else ctx.stdout.write(`Berth version v${version}\n`);
  return ExitCode.ok;
}
