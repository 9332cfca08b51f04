import { writeFile } from "node:fs/promises";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import { loadFromCli } from "../project.js";

export interface ConfigOptions {
  format: "yaml" | "json";
  services?: boolean;
  volumes?: boolean;
  profiles?: boolean;
  images?: boolean;
  quiet?: boolean;
  interpolate: boolean;
  output?: string;
  /** Print the values of variables named like passwords, tokens and keys instead of `********`. */
  showSecrets?: boolean;
}

export async function run(ctx: CommandContext, _args: string[], opts: ConfigOptions): Promise<number> {
  const project = await loadFromCli(ctx, { interpolate: opts.interpolate });
  if (opts.quiet) return ExitCode.ok;
  const schema = await import("@berth/compose-schema");
  let text: string;
  if (opts.services) text = lines(schema.listServices(project));
  else if (opts.volumes) text = lines(schema.listVolumes(project));
  else if (opts.profiles) text = lines(schema.listProfiles(project));
  else if (opts.images) text = lines(schema.listImages(project));
  else {
    // docker compose prints everything; Berth masks secrets unless asked (schema.maskSecrets says which).
    const shown = opts.showSecrets ? project : schema.maskSecrets(project, ctx.env);
    text = schema.renderConfig(shown, { format: opts.format });
  }
  if (opts.output) await writeFile(opts.output, text);
  else ctx.stdout.write(text);
  return ExitCode.ok;
}

function lines(names: readonly string[]): string {
  return names.map((n) => `${n}\n`).join("");
}
