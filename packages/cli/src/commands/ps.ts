import type { CommandContext } from "../context.js";
import type { PsFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { byteOrder } from "../output/byte-order.js";
import { containerRow } from "../output/container-format.js";
import { goMarshal } from "../output/go-json.js";
import { formatTable } from "../output/table.js";
import { resolveProjectRef } from "../project-ref.js";

export async function run(ctx: CommandContext, [services]: [string[]], opts: PsFlags): Promise<number> {
  const { name } = await resolveProjectRef(ctx, services);
  const { listContainers } = await import("@berth/engine");
  const docker = await connect(ctx);
  const containers = await listContainers(docker, name, {
    all: opts.all,
    services,
    status: opts.status,
    filter: opts.filter ? [opts.filter] : undefined,
  });
  // compose lists by container name.
  containers.sort((a, b) => byteOrder(a.name, b.name));
  if (opts.services) {
    ctx.stdout.write([...new Set(containers.map((c) => c.service))].map((s) => `${s}\n`).join(""));
  } else if (opts.quiet) {
    ctx.stdout.write(containers.map((c) => `${c.id}\n`).join(""));
  } else {
    const now = new Date();
    const rows = containers.map((c) => containerRow(c, now));
    // One object per line, as docker compose v2 prints them.
    if (opts.format === "json") ctx.stdout.write(rows.map((r) => `${goMarshal(r)}\n`).join(""));
    else {
      const cells = rows.map((r) => [r.Name, r.Image, r.Command, r.Service, r.RunningFor, r.Status, r.Ports]);
      ctx.stdout.write(
        formatTable(["NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"], cells),
      );
    }
  }
  return ExitCode.ok;
}
