import type { CommandContext } from "../context.js";
import { connect } from "../docker.js";
import { UsageError } from "../errors.js";
import { ExitCode } from "../exit-codes.js";
import { formatTable } from "../output/table.js";
import { resolveProjectRef } from "../project-ref.js";

export interface ImagesOptions {
  quiet?: boolean;
  format: string;
}

export async function run(ctx: CommandContext, services: string[], opts: ImagesOptions): Promise<number> {
  if (opts.format !== "table" && opts.format !== "json") {
    throw new UsageError(`unknown --format "${opts.format}": use table or json`);
  }
  const { name } = await resolveProjectRef(ctx, services);
  const { listProjectImages } = await import("@berth/engine");
  const docker = await connect(ctx);
  const images = await listProjectImages(docker, name, { services });
  if (opts.quiet) ctx.stdout.write([...new Set(images.map((i) => i.id))].map((id) => `${id}\n`).join(""));
  else if (opts.format === "json") {
    const json = images.map((i) => ({
      ContainerName: i.container,
      Repository: i.repository,
      Tag: i.tag,
      ID: i.id,
      Size: i.size,
    }));
    ctx.stdout.write(`${JSON.stringify(json)}\n`);
  } else {
    const rows = images.map((i) => [i.container, i.repository, i.tag, shortId(i.id), formatSize(i.size)]);
    ctx.stdout.write(formatTable(["CONTAINER", "REPOSITORY", "TAG", "IMAGE ID", "SIZE"], rows));
  }
  return ExitCode.ok;
}

function shortId(id: string): string {
  return id.replace(/^sha256:/, "").slice(0, 12);
}

/** Decimal units, as docker prints sizes. */
function formatSize(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${Number(value.toPrecision(3))}${units[unit]}`;
}
