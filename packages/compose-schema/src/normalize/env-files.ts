import { parseDotEnv } from "../dotenv.js";
import { ComposeError, ErrorCodes } from "../errors.js";
import type { DocPath, Locator } from "../source.js";

/**
 * The variables of a service's `env_file`s (later files win) under its own `environment`, which wins.
 * A value in a file may use variables of the files read before it, then of the project environment.
 * Like compose's `config`, the `env_file` list itself is dropped once it has been applied, and files
 * that hold no variable add no `environment`.
 */
export function applyEnvFiles(
  service: Record<string, unknown>,
  path: DocPath,
  env: Record<string, string>,
  readEnvFile: (file: string) => string,
  locator: Locator,
): Record<string, unknown> {
  const { env_file: files, ...rest } = service;
  if (!Array.isArray(files)) return service;
  const fromFiles: Record<string, string | null> = {};
  files.forEach((entry, i) => {
    // `{path, required: false}` (newer spec) names a file that may be missing.
    const file = typeof entry === "string" ? entry : (entry as { path?: unknown } | null)?.path;
    const required = (entry as { required?: unknown } | null)?.required !== false;
    if (typeof file !== "string") return;
    let content: string;
    try {
      content = readEnvFile(file);
    } catch (err) {
      if (!required) return;
      throw new ComposeError(ErrorCodes.envFile, `env file ${file} not found: ${(err as Error).message}`, {
        location: locator.locate([...path, "env_file", i]),
        cause: err,
      });
    }
    const lookup = (name: string) => fromFiles[name] ?? env[name];
    Object.assign(fromFiles, parseDotEnv(content, file, lookup));
  });
  if (rest.environment === undefined && Object.keys(fromFiles).length === 0) return rest;
  const own = (rest.environment ?? {}) as Record<string, string | null>;
  return { ...rest, environment: { ...fromFiles, ...own } };
}
