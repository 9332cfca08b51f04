import type { ProjectEvent } from "@berth/engine";
import type { CommandContext } from "../context.js";
import type { EventsFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { resolveProjectRef } from "../project-ref.js";

/** Streams the project's engine events until Ctrl-C. */
export async function run(ctx: CommandContext, [services]: [string[]], opts: EventsFlags): Promise<number> {
  const { name } = await resolveProjectRef(ctx, services);
  const { projectEvents } = await import("@berth/engine");
  const docker = await connect(ctx);
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  await projectEvents(docker, name, { services, follow: true, signal: controller.signal }, (event) =>
    ctx.stdout.write(`${opts.json ? JSON.stringify(toJson(event)) : toText(event)}\n`),
  );
  return controller.signal.aborted ? ExitCode.interrupted : ExitCode.ok;
}

function toJson(e: ProjectEvent) {
  return {
    time: e.time.toISOString(),
    type: e.type,
    action: e.action,
    id: e.id,
    service: e.service,
    attributes: e.attributes,
  };
}

/** `2024-01-01T10:00:00.000Z container start 1a2b… (name=myapp-web-1, …)`, like docker events. */
function toText(e: ProjectEvent): string {
  const attrs = Object.entries(e.attributes)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  return `${e.time.toISOString()} ${e.type} ${e.action} ${e.id}${attrs ? ` (${attrs})` : ""}`;
}
