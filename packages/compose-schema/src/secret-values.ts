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

/**
 * Every value of a loaded project that must never be printed by progress, events or errors:
 * - the values of its secrets (`environment`, `content`, and the text of `file` secrets);
 * - every value read from the `.env` / `--env-file` files (except compose's own `COMPOSE_*`/`DOCKER_*`
 *   settings and values that are the project's or a service's name, which every line of output names);
 * - values of variables named like secrets (`isSensitiveName`), from the interpolation variables, the
 *   services' `environment` and their `build.args`.
 * `processEnv` is the environment the project was loaded with: what is not in it came from a `.env` file.
 */
export function collectSecretValues(
  project: Project,
  processEnv: Record<string, string | undefined> = process.env,
): string[] {
  const values = new Set<string>();
  const add = (value: string | null | undefined) => {
    if (secretLike(value)) values.add(value);
  };
  const names = new Set([project.name, ...Object.keys(project.services)]);

  addNamedSecrets(project, processEnv, add);
  for (const [name, value] of Object.entries(project.environment)) {
    if (
      !isSensitiveName(name) &&
      processEnv[name] === undefined &&
      name !== "COMPOSE_PROJECT_NAME" &&
      !TOOL_VARIABLE.test(name) &&
      !names.has(value)
    )
      add(value);
  }
  for (const secret of Object.values(project.secrets)) {
    if (secret.file !== undefined) addText(add, readSmallFile(secret.file));
  }
  return [...values];
}

/**
 * The values of variables named like secrets (interpolation variables, services' `environment` and
 * `build.args`) and of secrets given by `content` or `environment`.
 */
function addNamedSecrets(
  project: Project,
  processEnv: Record<string, string | undefined>,
  add: (value: string | null | undefined) => void,
): void {
  for (const [name, value] of Object.entries(project.environment)) if (isSensitiveName(name)) add(value);
  for (const service of [...Object.values(project.services), ...Object.values(project.disabledServices)]) {
    for (const [name, value] of Object.entries(service.environment ?? {}))
      if (isSensitiveName(name)) add(value);
    for (const [name, value] of Object.entries(service.build?.args ?? {}))
      if (isSensitiveName(name)) add(value);
  }
  for (const secret of Object.values(project.secrets)) {
    if (secret.content !== undefined) addText(add, secret.content);
    if (secret.environment !== undefined)
      addText(add, project.environment[secret.environment] ?? processEnv[secret.environment]);
  }
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

/**
 * The project with the values of variables named like secrets replaced by `MASK`, for `config`: the
 * services' `environment` and `build.args` entries with such names, the `content` of secrets, and every
 * other place where one of those values (or of the secrets') was interpolated into a string.
 */
export function maskSecrets(
  project: Project,
  processEnv: Record<string, string | undefined> = process.env,
): Project {
  const values = new Set<string>();
  const add = (value: string | null | undefined) => {
    if (secretLike(value)) values.add(value);
  };
  addNamedSecrets(project, processEnv, add);
  const replace = replacer([...values]);
  const maskEntries = (entries: Record<string, string | null> | undefined) =>
    entries &&
    Object.fromEntries(
      Object.entries(entries).map(([k, v]) => [k, v !== null && isSensitiveName(k) ? MASK : v]),
    );
  const maskService = <S extends Project["services"][string]>(s: S): S => {
    const masked = { ...s };
    if (s.environment) masked.environment = maskEntries(s.environment) as S["environment"];
    if (s.build?.args)
      masked.build = { ...s.build, args: maskEntries(s.build.args) as NonNullable<S["build"]>["args"] };
    return deepReplace(masked, replace);
  };
  const mapValues = <T>(record: Record<string, T>, f: (v: T) => T) =>
    Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
  return {
    ...project,
    services: mapValues(project.services, maskService),
    disabledServices: mapValues(project.disabledServices, maskService),
    networks: deepReplace(project.networks, replace),
    volumes: deepReplace(project.volumes, replace),
    configs: deepReplace(project.configs, replace),
    secrets: mapValues(project.secrets, (s) =>
      s.content === undefined ? deepReplace(s, replace) : { ...deepReplace(s, replace), content: MASK },
    ),
    extensions: project.extensions && deepReplace(project.extensions, replace),
  };
}

/** A function that replaces every occurrence of any of `values` (longest first) by `MASK`. */
export function replacer(values: readonly string[]): (text: string) => string {
  const usable = values.filter((v) => v.length >= MIN_SECRET_LENGTH);
  if (usable.length === 0) return unchanged;
  const sorted = [...new Set(usable)].sort((a, b) => b.length - a.length);
  const regex = new RegExp(sorted.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  return (text) => text.replace(regex, MASK);
}

/** The replacer when there is nothing to mask: deepReplace then copies nothing. */
const unchanged = (text: string) => text;

/** A copy of plain data with `replace` applied to every string value (keys are left alone). */
function deepReplace<T>(value: T, replace: (text: string) => string): T {
  if (replace === unchanged) return value;
  if (typeof value === "string") return replace(value) as T;
  if (Array.isArray(value)) return value.map((v) => deepReplace(v, replace)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, deepReplace(v, replace)]),
    ) as T;
  }
  return value;
}
