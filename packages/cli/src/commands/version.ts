import type { CommandContext } from "../context.js";
import type { VersionFlags } from "../declare/commands.js";
import { ExitCode } from "../exit-codes.js";
import { versionText } from "../version-only.js";
import { berthVersion } from "../version.js";

export async function run(ctx: CommandContext, _args: [], opts: VersionFlags): Promise<number> {
  ctx.stdout.write(versionText(berthVersion(), opts));
  return ExitCode.ok;
}
