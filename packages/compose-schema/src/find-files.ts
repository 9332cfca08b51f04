import { statSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { ComposeError, ErrorCodes } from "./errors.js";

/** In compose's order of preference. */
const DEFAULT_FILE_NAMES = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];
const DEFAULT_OVERRIDE_NAMES = [
  "compose.override.yml",
  "compose.override.yaml",
  "docker-compose.override.yml",
  "docker-compose.override.yaml",
];

/** Stands for the compose file read from standard input. */
const STDIN = "-";

/**
 * The compose files to load and the project directory: the `-f` files, else `COMPOSE_FILE`, else the first
 * default name found in the start directory or the nearest parent, with its override file if there is one.
 * Paths are absolute except `-` (stdin).
 */
export function findComposeFiles(opts: {
  files?: string[];
  cwd: string;
  projectDirectory?: string;
  env: Record<string, string | undefined>;
}): { files: string[]; projectDir: string } {
  const cwd = resolve(opts.cwd);
  const projectDirectory =
    opts.projectDirectory === undefined ? undefined : resolve(cwd, opts.projectDirectory);
  const files = explicitFiles(opts.files, opts.env, cwd) ?? search(projectDirectory ?? cwd);
  const firstFile = files.find((f) => f !== STDIN);
  const projectDir = projectDirectory ?? (firstFile ? dirname(firstFile) : cwd);
  return { files, projectDir };
}

function explicitFiles(
  files: string[] | undefined,
  env: Record<string, string | undefined>,
  cwd: string,
): string[] | undefined {
  let named = files !== undefined && files.length > 0 ? files : undefined;
  let source = "-f";
  if (!named && env.COMPOSE_FILE) {
    const separator = env.COMPOSE_PATH_SEPARATOR || delimiter;
    named = env.COMPOSE_FILE.split(separator).filter((f) => f !== "");
    source = "COMPOSE_FILE";
  }
  return named?.map((f) => {
    if (f === STDIN) return f;
    const path = resolve(cwd, f);
    const kind = statSync(path, { throwIfNoEntry: false });
    if (!kind)
      throw new ComposeError(ErrorCodes.fileNotFound, `compose file not found: ${path} (from ${source})`);
    if (kind.isDirectory()) {
      throw new ComposeError(
        ErrorCodes.fileNotFound,
        `${path} (from ${source}) is a directory, not a compose file`,
      );
    }
    return path;
  });
}

function search(start: string): string[] {
  for (let dir = start; ; dir = dirname(dir)) {
    const main = firstExisting(dir, DEFAULT_FILE_NAMES);
    if (main) {
      const override = firstExisting(dir, DEFAULT_OVERRIDE_NAMES);
      return override ? [main, override] : [main];
    }
    if (dirname(dir) === dir) break;
  }
  throw new ComposeError(
    ErrorCodes.noComposeFile,
    `no compose file found in ${start} or any parent directory (looked for ${DEFAULT_FILE_NAMES.join(", ")}); ` +
      "name one with -f or COMPOSE_FILE",
  );
}

function firstExisting(dir: string, names: string[]): string | undefined {
  return names.map((n) => join(dir, n)).find((p) => statSync(p, { throwIfNoEntry: false })?.isFile());
}
