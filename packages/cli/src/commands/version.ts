import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import { type VersionOptions, versionText } from "../version-only.js";
import { berthVersion } from "../version.js";

export async function run(ctx: CommandContext, _args: string[], opts: VersionOptions): Promise<number> {
  ctx.stdout.write(versionText(berthVersion(), opts));
  return ExitCode.ok;
}
