import type { LoadOptions, Project } from "@berth/compose-schema";
import type { CommandContext } from "./context.js";
import { addReadableNames, addSecretValues } from "./output/redact.js";

export interface LoadFromCliOptions {
  /** Services named on the command line: enabled whatever their profiles. */
  services?: string[];
  interpolate?: boolean;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Loads the project the global flags describe; loader warnings go to stderr. */
export async function loadFromCli(ctx: CommandContext, opts: LoadFromCliOptions = {}): Promise<Project> {
  const { loadProject, collectSecretValues, envFileValues, readableNames } = await import(
    "@berth/compose-schema"
  );
  const g = ctx.global;
  const options: LoadOptions = {
    cwd: process.cwd(),
    files: g.files.length > 0 ? g.files : undefined,
    stdin: g.files.includes("-") ? await readStdin() : undefined,
    projectDirectory: g.projectDirectory,
    projectName: g.projectName,
    envFiles: g.envFiles.length > 0 ? g.envFiles : undefined,
    env: ctx.env,
    profiles: g.profiles,
    services: opts.services && opts.services.length > 0 ? opts.services : undefined,
    interpolate: opts.interpolate,
    onWarning: (message) => ctx.stderr.write(`warning: ${message}\n`),
  };
  // What this project must never print (secrets, .env values) and the names it must always print
  // readably: output/redact.ts masks the first where they stand as values, never inside the second.
  try {
    const project = await loadProject(options);
    const secrets = collectSecretValues(project, ctx.env);
    addSecretValues(secrets.values);
    addSecretValues(secrets.contents, true);
    const names = readableNames(project);
    addReadableNames(names.exact, names.prefixes);
    return project;
  } catch (error) {
    addSecretValues(envFileValues(options));
    throw error;
  }
}
