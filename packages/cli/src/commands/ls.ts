import type { CommandContext } from "../context.js";
import type { LsFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { formatTable } from "../output/table.js";

export async function run(ctx: CommandContext, _args: [], opts: LsFlags): Promise<number> {
  const { listProjects } = await import("@berth/engine");
  const docker = await connect(ctx);
  const projects = await listProjects(docker, { all: opts.all });
  if (opts.quiet) ctx.stdout.write(projects.map((p) => `${p.name}\n`).join(""));
  else if (opts.format === "json") {
    const json = projects.map((p) => ({ Name: p.name, Status: p.status, ConfigFiles: p.configFiles }));
    ctx.stdout.write(`${JSON.stringify(json)}\n`);
  } else {
    const rows = projects.map((p) => [p.name, p.status, p.configFiles]);
    ctx.stdout.write(formatTable(["NAME", "STATUS", "CONFIG FILES"], rows));
  }
  return ExitCode.ok;
}
