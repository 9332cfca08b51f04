import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { discoverProject } from "./discover.js";
import type { LoadOptions } from "./load.js";
import type { Project } from "./types.js";

/**
 * Names of variables whose values are secret: passwords, secrets, tokens, API and private keys,
 * credentials, auth. Matched anywhere in the name, case-insensitively (`DB_PASSWORD`, `githubToken`,
 * `X_API_KEY`, `BASIC_AUTH`).
 */
export const SENSITIVE_NAME = /pass(?:word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential|auth/i;

/** What a masked value is replaced by, in `config` output and wherever Berth prints. */
export const MASK = "********";

/**
 * Values shorter than this are never treated as secret: they occur by chance in ordinary text (a
 * container number, "yes"), so masking them would garble output and protect nothing worth protecting.
 */
export const MIN_SECRET_LENGTH = 4;

/** Settings-like words that no one uses as a secret but that a variable such as `AUTH_ENABLED` may hold. */
const NOT_SECRET = new Set(["true", "false", "null", "none", "enabled", "disabled", "required", "optional"]);

function secretLike(value: string | null | undefined): value is string {
  return (
    typeof value === "string" && value.length >= MIN_SECRET_LENGTH && !NOT_SECRET.has(value.toLowerCase())
  );
}

/** Secret files larger than this are not read to collect their values (they are certificates or blobs). */
const MAX_SECRET_FILE = 1 << 20;

/** Variables that configure compose itself, read from `.env` like the others but not application values. */
const TOOL_VARIABLE = /^(?:COMPOSE|DOCKER|BERTH)_/;

export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

/** What a project must never print, in two kinds that are masked differently (see collectSecretValues). */
export interface SecretValues {
  /** Values of variables: masked where they stand as values, never inside other words. */
  values: string[];
  /** The texts of the project's secrets and their long lines: masked wherever they occur. */
  contents: string[];
}

/**
 * Every value of a loaded project that must never be printed by progress, events or errors:
 * - `contents`: the texts of its secrets (`environment`, `content`, and the text of `file` secrets),
 *   which programs print glued to other text (`cat` of two secret files);
 * - `values`: every value read from the `.env` / `--env-file` files (except compose's own
 *   `COMPOSE_*`/`DOCKER_*` settings and values that are the project's or a service's name, which every
 *   line of output names), and values of variables named like secrets (`isSensitiveName`) from the
 *   interpolation variables, the services' `environment` and their `build.args`.
 * `processEnv` is the environment the project was loaded with: what is not in it came from a `.env` file.
 */
export function collectSecretValues(
  project: Project,
  processEnv: Record<string, string | undefined> = process.env,
): SecretValues {
  const values = new Set<string>();
  const contents = new Set<string>();
  const add = (value: string | null | undefined) => {
    if (secretLike(value)) values.add(value);
  };
  const addContent = (value: string) => {
    if (secretLike(value)) contents.add(value);
  };
  const names = new Set([project.name, ...Object.keys(project.services)]);

  for (const [name, value] of Object.entries(project.environment)) {
    if (isSensitiveName(name)) add(value);
    else if (
      processEnv[name] === undefined &&
      name !== "COMPOSE_PROJECT_NAME" &&
      !TOOL_VARIABLE.test(name) &&
      !names.has(value)
    )
      add(value);
  }
  for (const service of [...Object.values(project.services), ...Object.values(project.disabledServices)]) {
    for (const [name, value] of Object.entries(service.environment ?? {}))
      if (isSensitiveName(name)) add(value);
    for (const [name, value] of Object.entries(service.build?.args ?? {}))
      if (isSensitiveName(name)) add(value);
  }
  for (const secret of Object.values(project.secrets)) {
    if (secret.content !== undefined) addText(addContent, secret.content);
    if (secret.environment !== undefined)
      addText(addContent, project.environment[secret.environment] ?? processEnv[secret.environment]);
    if (secret.file !== undefined) addText(addContent, readSmallFile(secret.file));
  }
  return { values: [...values], contents: [...contents] };
}

/**
 * The values of the `.env` / `--env-file` files a load with these options reads, for when the load
 * itself failed and there is no project to collect from (a loader error may quote an interpolated value).
 */
export function envFileValues(opts: LoadOptions): string[] {
  const cwd = opts.cwd ?? process.cwd();
  const processEnv = opts.env ?? process.env;
  try {
    const { vars } = discoverProject({
      files: opts.files,
      cwd,
      projectDirectory: opts.projectDirectory,
      envFiles: opts.envFiles?.map((f) => path.resolve(cwd, f)),
      processEnv,
    });
    return Object.entries(vars)
      .filter(
        ([name, value]) =>
          (processEnv[name] === undefined || isSensitiveName(name)) &&
          !TOOL_VARIABLE.test(name) &&
          secretLike(value),
      )
      .map(([, value]) => value);
  } catch {
    // The same fault will be reported by the load; there is nothing to collect.
    return [];
  }
}

/** A secret's text, its text without the final newline, and each of its long lines (keys, certificates). */
function addText(add: (value: string) => void, text: string | undefined): void {
  if (text === undefined) return;
  add(text);
  add(text.trim());
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (lines.length > 1) for (const line of lines) if (line.length >= 8) add(line);
}

function readSmallFile(file: string): string | undefined {
  try {
    const stat = statSync(file);
    if (!stat.isFile() || stat.size > MAX_SECRET_FILE) return undefined;
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** What `maskSecrets` gives: the project to print and how many values it hid. */
export interface MaskedProject {
  project: Project;
  hidden: number;
}

/**
 * The project with the values of entries named like secrets (`isSensitiveName`) in the services'
 * `environment` and `build.args`, and the `content` of secrets, replaced by `MASK`: what `config` shows
 * on a terminal (which prints no disabled service). Nothing else changes: names, images and every
 * other value read as they are.
 */
export function maskSecrets(project: Project): MaskedProject {
  let hidden = 0;
  const maskEntries = <T extends Record<string, string | null> | undefined>(entries: T): T => {
    if (!entries || !Object.entries(entries).some(([k, v]) => v !== null && isSensitiveName(k)))
      return entries;
    return Object.fromEntries(
      Object.entries(entries).map(([k, v]) => {
        if (v === null || !isSensitiveName(k)) return [k, v];
        hidden++;
        return [k, MASK];
      }),
    ) as T;
  };
  const maskService = <S extends Project["services"][string]>(s: S): S => {
    const environment = maskEntries(s.environment);
    const args = maskEntries(s.build?.args);
    if (environment === s.environment && args === s.build?.args) return s;
    const masked = { ...s };
    if (environment !== s.environment) masked.environment = environment;
    if (s.build && args !== s.build.args) masked.build = { ...s.build, args };
    return masked;
  };
  const mapValues = <T>(record: Record<string, T>, f: (v: T) => T) =>
    Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
  const masked: Project = {
    ...project,
    services: mapValues(project.services, maskService),
    secrets: mapValues(project.secrets, (s) => {
      if (s.content === undefined) return s;
      hidden++;
      return { ...s, content: MASK };
    }),
  };
  return { project: masked, hidden };
}
