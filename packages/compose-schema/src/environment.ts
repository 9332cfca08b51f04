import { readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseDotEnv } from "./dotenv.js";
import { ComposeError, ErrorCodes } from "./errors.js";

/**
 * The variables used to interpolate compose files: the `--env-file` files in order (later wins), or the
 * project directory's `.env` when none is given, with the process environment winning over both.
 * `envFiles` in the result are the absolute paths that were read.
 */
export function resolveEnvironment(opts: {
  projectDir: string;
  envFiles?: string[];
  processEnv: Record<string, string | undefined>;
}): { vars: Record<string, string>; envFiles: string[] } {
  const explicit = opts.envFiles !== undefined && opts.envFiles.length > 0;
  const candidates = explicit
    ? opts.envFiles!.map((f) => resolve(f))
    : [join(resolve(opts.projectDir), ".env")];
  const processEnv = Object.fromEntries(
    Object.entries(opts.processEnv).filter((e): e is [string, string] => e[1] !== undefined),
  );

  const fromFiles: Record<string, string> = {};
  const read: string[] = [];
  for (const file of candidates) {
    const kind = statSync(file, { throwIfNoEntry: false });
    if (!kind || kind.isDirectory()) {
      // The default .env is optional; a file the user named must be there.
      if (!explicit) continue;
      throw new ComposeError(
        ErrorCodes.envFile,
        kind ? `env file ${file} is a directory` : `couldn't find env file ${file}`,
      );
    }
    const content = readFileSync(file, "utf8");
    // Variables in a file resolve from the process environment, then from the files read before it.
    const vars = parseDotEnv(content, file, (name) => own(processEnv, name) ?? own(fromFiles, name));
    Object.assign(fromFiles, vars);
    read.push(file);
  }
  return { vars: { ...fromFiles, ...processEnv }, envFiles: read };
}

function own(vars: Record<string, string>, name: string): string | undefined {
  return Object.hasOwn(vars, name) ? vars[name] : undefined;
}
