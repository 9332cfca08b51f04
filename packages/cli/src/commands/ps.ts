import type { ContainerSummary, PortSummary } from "@berth/engine";
import type { CommandContext } from "../context.js";
import { connect } from "../docker.js";
import { UsageError } from "../errors.js";
import { ExitCode } from "../exit-codes.js";
import { formatTable, timeAgo } from "../output/table.js";
import { resolveProjectRef } from "../project-ref.js";

export interface PsOptions {
  all?: boolean;
  quiet?: boolean;
  services?: boolean;
  status?: string[];
  filter?: string;
  format: string;
}

export async function run(ctx: CommandContext, services: string[], opts: PsOptions): Promise<number> {
  if (opts.format !== "table" && opts.format !== "json") {
    throw new UsageError(`unknown --format "${opts.format}": use table or json`);
  }
  const { name } = await resolveProjectRef(ctx, services);
  const { listContainers } = await import("@berth/engine");
  const docker = await connect(ctx);
  const containers = await listContainers(docker, name, {
    all: opts.all,
    services,
    status: opts.status,
    filter: opts.filter ? [opts.filter] : undefined,
  });
  if (opts.services) {
    ctx.stdout.write([...new Set(containers.map((c) => c.service))].map((s) => `${s}\n`).join(""));
  } else if (opts.quiet) {
    ctx.stdout.write(containers.map((c) => `${c.id}\n`).join(""));
  } else if (opts.format === "json") {
    ctx.stdout.write(containers.map((c) => `${JSON.stringify(toJson(c))}\n`).join(""));
  } else {
    const rows = containers.map((c) => [
      c.name,
      c.image,
      JSON.stringify(c.command),
      c.service,
      timeAgo(c.created),
      c.status,
      c.ports.map(formatPort).join(", "),
    ]);
    ctx.stdout.write(
      formatTable(["NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"], rows),
    );
  }
  return ExitCode.ok;
}

function formatPort(p: PortSummary): string {
  if (p.publicPort === undefined) return `${p.privatePort}/${p.protocol}`;
  return `${p.hostIp ?? "0.0.0.0"}:${p.publicPort}->${p.privatePort}/${p.protocol}`;
}

/** compose's JSON field names. */
function toJson(c: ContainerSummary) {
  return {
    ID: c.id,
    Name: c.name,
    Image: c.image,
    Command: c.command,
    Service: c.service,
    Created: Math.floor(c.created.getTime() / 1000),
    State: c.state,
    Status: c.status,
    Health: c.health ?? "",
    ExitCode: c.exitCode ?? 0,
    Publishers: c.ports.map((p) => ({
      URL: p.hostIp ?? "",
      TargetPort: p.privatePort,
      PublishedPort: p.publicPort ?? 0,
      Protocol: p.protocol,
    })),
  };
}
