import { writeFile } from "node:fs/promises";
import type { CommandContext } from "../context.js";
import type { ConfigFlags } from "../declare/commands.js";
import { ExitCode } from "../exit-codes.js";
import { loadFromCli } from "../project.js";

export async function run(ctx: CommandContext, _args: [], opts: ConfigFlags): Promise<number> {
  const project = await loadFromCli(ctx, { interpolate: opts.interpolate });
  const schema = await import("@berth/compose-schema");
  // Like compose's loader: a project `up` cannot order is an error, not something to print.
  schema.checkDependencyCycle(project);
  if (opts.quiet) return ExitCode.ok;
  let text: string;
  let hidden = 0;
  if (opts.services) text = lines(schema.listServices(project));
  else if (opts.volumes) text = lines(schema.listVolumes(project));
  else if (opts.profiles) text = lines(schema.listProfiles(project));
  else if (opts.images) text = lines(schema.listImages(project));
  else {
    // What goes to a program (a pipe, a file, JSON) is exactly docker compose's; only a person reading
    // YAML on a terminal gets the values of secret-named variables hidden, and is told so.
    const forPerson = !opts.output && opts.format === "yaml" && ctx.stdout.isTTY === true;
    const shown = forPerson && !opts.showSecrets ? schema.maskSecrets(project) : { project, hidden: 0 };
    text = schema.renderConfig(shown.project, { format: opts.format });
    hidden = shown.hidden;
  }
  if (opts.output) await writeFile(opts.output, text);
  else ctx.stdout.write(text);
  if (hidden > 0)
    ctx.stderr.write(`${hidden} ${hidden === 1 ? "value" : "values"} hidden; --show-secrets shows them\n`);
  return ExitCode.ok;
}

function lines(names: readonly string[]): string {
  return names.map((n) => `${n}\n`).join("");
}
