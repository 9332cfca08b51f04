import type { CommandContext } from "../context.js";
import type { ImagesFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { byteOrder } from "../output/byte-order.js";
import { formatTable } from "../output/table.js";
import { resolveProjectRef } from "../project-ref.js";

export async function run(ctx: CommandContext, [services]: [string[]], opts: ImagesFlags): Promise<number> {
  const { name } = await resolveProjectRef(ctx, services);
  const { listProjectImages } = await import("@berth/engine");
  const docker = await connect(ctx);
  const images = await listProjectImages(docker, name, { services });
  // By container name, as compose v2 sorts them (v5 keeps the order of a Go map: none).
  images.sort((a, b) => byteOrder(a.container, b.container));
  // -q: the IDs without their `sha256:`, as compose prints them.
  if (opts.quiet)
    ctx.stdout.write([...new Set(images.map((i) => digestOf(i.id)))].map((id) => `${id}\n`).join(""));
  else if (opts.format === "json") {
    // docker compose's fields, in its order; LastTagTime only for a tagged image, as Go's omitzero.
    const json = images.map((i) => ({
      ID: i.id,
      ContainerName: i.container,
      Repository: i.repository,
      Tag: i.tag,
      Platform: i.platform,
      Size: i.size,
      Created: i.created,
      ...(i.lastTagTime ? { LastTagTime: i.lastTagTime } : {}),
    }));
    ctx.stdout.write(`${JSON.stringify(json)}\n`);
  } else {
    const rows = images.map((i) => [
      i.container,
      i.repository || "<none>",
      i.tag || "<none>",
      shortId(i.id),
      formatSize(i.size),
    ]);
    ctx.stdout.write(formatTable(["CONTAINER", "REPOSITORY", "TAG", "IMAGE ID", "SIZE"], rows));
  }
  return ExitCode.ok;
}

function digestOf(id: string): string {
  return id.slice(id.indexOf(":") + 1);
}

function shortId(id: string): string {
  return digestOf(id).slice(0, 12);
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
