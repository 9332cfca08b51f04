import type { EngineEvent } from "@berth/engine";

/**
 * The one place where secret values are kept out of what Berth prints for people: progress (plain, tty
 * and json events, `--dry-run` plans among them) and errors, with the log lines they quote. Loading a project
 * registers the values that must not be shown (`collectSecretValues` / `envFileValues` of
 * @berth/compose-schema) and the names that must stay readable (`readableNames`). Data meant for
 * programs (`config` to a pipe or file, every `--format json` listing, container logs) never comes here.
 *
 * The rule, for each occurrence of a registered value in a text:
 * - a value is masked where it stands as a value: where the value begins with a word character (a
 *   letter, digit or `_`), the character before it is not one; where it ends with one, the character
 *   after it is not one. `pw=hunter22`, `"hunter22"`, `relative-hunter22`, `user:hunter22@db` are masked;
 *   `hunter22x` and `xhunter22` are not (another word that contains the value);
 * - secrets' contents, and values of `LONG` characters or more, are masked wherever they occur: programs
 *   print them glued to other text (`cat` of two secret files), and no ordinary word is that long;
 * - it is never masked inside a readable name: a registered name (project, service, container, image,
 *   network, volume, config or secret name) standing alone (the characters around it are not name
 *   characters, `[A-Za-z0-9_.-]`), or a word that starts with the project's name and `-` or `_` (the
 *   names the engine gives containers, networks and volumes). With `POSTGRES_PASSWORD: postgres` and a
 *   service `postgres`, `Container app-postgres-1` stays as it is.
 *
 * Kept free of imports from @berth/compose-schema, which main.ts would otherwise load on every start.
 */

export const MASK = "********";
/** Same rule as the loader's: shorter values occur by chance in any text. */
const MIN_LENGTH = 4;
/** Values this long are masked even inside other words (the longest English words are about this long). */
const LONG = 16;

/** Each registered value, and whether it is masked wherever it occurs (else where it stands as a value). */
const secrets = new Map<string, boolean>();
const names = new Set<string>();
const prefixes = new Set<string>();
let compiled: { secret: RegExp; readable: RegExp | undefined } | undefined;

/** Values to mask where they stand as values; with `anywhere` (secrets' contents), wherever they occur. */
export function addSecretValues(values: Iterable<string>, anywhere = false): void {
  for (const value of values) {
    if (value.length < MIN_LENGTH || secrets.get(value) === true) continue;
    secrets.set(value, anywhere || value.length >= LONG);
    compiled = undefined;
  }
}

/**
 * Names that stay readable wherever they stand alone, and prefixes (the project's name) whose words
 * stay readable: `app` keeps `app-postgres-1`, `app_default` and `app_db-data`.
 */
export function addReadableNames(exact: Iterable<string>, prefixOf: Iterable<string> = []): void {
  for (const name of exact) if (name !== "") names.add(name);
  for (const prefix of prefixOf) if (prefix !== "") prefixes.add(prefix);
  compiled = undefined;
}

/** Forgets every registered value and name (tests run several commands in one process). */
export function clearSecretValues(): void {
  secrets.clear();
  names.clear();
  prefixes.clear();
  compiled = undefined;
}

const WORD = "[\\p{L}\\p{N}_]";
const NAME_CHAR = "[A-Za-z0-9_.\\-]";
const startsWithWord = new RegExp(`^${WORD}`, "u");
const endsWithWord = new RegExp(`${WORD}$`, "u");

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** A value as a pattern that matches where it stands as a value, or anywhere (see the rule above). */
function valuePattern(value: string, anywhere: boolean): string {
  if (anywhere) return literal(value);
  const before = startsWithWord.test(value) ? `(?<!${WORD})` : "";
  const after = endsWithWord.test(value) ? `(?!${WORD})` : "";
  return `${before}${literal(value)}${after}`;
}

function patterns(): typeof compiled {
  if (secrets.size === 0) return undefined;
  if (!compiled) {
    // Longest first, so that a secret containing another one is masked whole.
    const sorted = [...secrets].sort(([a], [b]) => b.length - a.length);
    const secret = new RegExp(sorted.map(([v, anywhere]) => valuePattern(v, anywhere)).join("|"), "gu");
    const alternatives = [
      ...[...names].sort((a, b) => b.length - a.length).map(literal),
      ...[...prefixes].map((p) => `${literal(p)}[-_]${NAME_CHAR}*`),
    ];
    const readable =
      alternatives.length === 0
        ? undefined
        : new RegExp(`(?<!${NAME_CHAR})(?:${alternatives.join("|")})(?!${NAME_CHAR})`, "gu");
    compiled = { secret, readable };
  }
  return compiled;
}

/** `text` with every registered secret value that stands as a value replaced by `MASK`. */
export function redact(text: string): string {
  // Most texts hold no secret: a substring test spares them the patterns (and their compilation).
  const p = containsSecret(text) ? patterns() : undefined;
  if (!p) return text;
  const kept: [number, number][] = [];
  if (p.readable) for (const m of text.matchAll(p.readable)) kept.push([m.index, m.index + m[0].length]);
  return text.replace(p.secret, (match: string, offset: number) => {
    const end = offset + match.length;
    return kept.some(([from, to]) => from <= offset && end <= to) ? match : MASK;
  });
}

function containsSecret(text: string): boolean {
  for (const value of secrets.keys()) if (text.includes(value)) return true;
  return false;
}

/** A copy of an event whose texts (names, details, progress, error message) are redacted. */
export function redactEvent(event: EngineEvent): EngineEvent {
  if (secrets.size === 0) return event;
  const out: EngineEvent = { ...event, name: redact(event.name), action: redact(event.action) };
  if (event.service !== undefined) out.service = redact(event.service);
  if (event.detail !== undefined) out.detail = redact(event.detail);
  if (event.logs !== undefined) out.logs = event.logs.map(redact);
  if (event.progress?.text !== undefined)
    out.progress = { ...event.progress, text: redact(event.progress.text) };
  if (event.error) out.error = redactError(event.error);
  return out;
}

/** An error of the same shape whose message and detail are redacted (code, location and stack kept). */
export function redactError<E>(error: E): E {
  if (secrets.size === 0 || !(error instanceof Error)) return error;
  const copy = Object.create(Object.getPrototypeOf(error)) as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(error)) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if ((key === "message" || key === "detail" || key === "stack") && typeof value === "string")
      copy[key] = redact(value);
    else if (key === "errors" && Array.isArray(value)) copy[key] = value.map((e) => redactError(e));
    else copy[key] = value;
  }
  return copy as E;
}
