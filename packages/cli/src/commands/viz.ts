import type { CommandContext } from "../context.js";
import type { VizFlags } from "../declare/commands.js";
import { ExitCode } from "../exit-codes.js";
import { renderDot, renderMermaid, vizNodes } from "../output/viz.js";
import { loadFromCli } from "../project.js";

/** `viz`: the project's services and dependencies as a graph; reads the files only, never the engine. */
export async function run(ctx: CommandContext, _args: [], opts: VizFlags): Promise<number> {
  const project = await loadFromCli(ctx);
  const { serviceImage } = await import("@berth/engine");
  const nodes = vizNodes(project, (service) => serviceImage(project.name, service));
  const options = {
    networks: opts.networks === true || opts.includeNetworks === true,
    ports: opts.ports === true || opts.includePorts === true,
    image: opts.image === true || opts.includeImageName === true,
    indentation: (opts.spaces ? " " : "\t").repeat(opts.indentationSize),
  };
  ctx.stdout.write(
    opts.format === "mermaid" ? renderMermaid(nodes, options) : renderDot(project.name, nodes, options),
  );
  return ExitCode.ok;
}
