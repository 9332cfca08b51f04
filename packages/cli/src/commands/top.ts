import type { CommandContext } from "../context.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { formatTable } from "../output/table.js";
import { resolveProjectRef } from "../project-ref.js";

export async function run(ctx: CommandContext, [services]: [string[]]): Promise<number> {
  const { name } = await resolveProjectRef(ctx, services);
  const { topServices } = await import("@berth/engine");
  const docker = await connect(ctx);
  const all = await topServices(docker, name, { services });
  ctx.stdout.write(all.map((c) => `${c.container}\n${formatTable(c.titles, c.processes)}`).join("\n"));
  return ExitCode.ok;
}
