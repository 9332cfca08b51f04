import type { EngineEvent } from "@berth/engine";

/**
 * The one place where secret values are kept out of what Berth prints. Loading a project registers the
 * values that must never be shown (`collectSecretValues` / `envFileValues` of @berth/compose-schema:
 * secrets, `.env` values, variables named like passwords, tokens and keys); everything that leaves the
 * process as progress, JSON events or an error goes through `redact`, which replaces each of them by
 * `********`. Container logs are the application's own output and are not touched.
 *
 * Kept free of imports from @berth/compose-schema, which main.ts would otherwise load on every start.
 */

export const MASK = "********";
/** Same rule as the loader's: shorter values occur by chance in any text. */
const MIN_LENGTH = 4;

const secrets = new Set<string>();
let pattern: RegExp | undefined;

export function addSecretValues(values: Iterable<string>): void {
  for (const value of values) {
    if (value.length < MIN_LENGTH || secrets.has(value)) continue;
    secrets.add(value);
    pattern = undefined;
  }
}

/** Forgets every registered value (tests run several commands in one process). */
export function clearSecretValues(): void {
  secrets.clear();
  pattern = undefined;
}

function compiled(): RegExp | undefined {
  if (secrets.size === 0) return undefined;
  if (!pattern) {
    // Longest first, so that a secret containing another one is masked whole.
    const sorted = [...secrets].sort((a, b) => b.length - a.length);
    pattern = new RegExp(sorted.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  }
  return pattern;
}

/** `text` with every registered secret value replaced by `MASK`. */
export function redact(text: string): string {
  const re = compiled();
  return re ? text.replace(re, MASK) : text;
}

/** A copy of an event whose texts (names, details, progress, error message) are redacted. */
export function redactEvent(event: EngineEvent): EngineEvent {
  if (!compiled()) return event;
  const out: EngineEvent = { ...event, name: redact(event.name), action: redact(event.action) };
  if (event.service !== undefined) out.service = redact(event.service);
  if (event.detail !== undefined) out.detail = redact(event.detail);
  if (event.progress?.text !== undefined)
    out.progress = { ...event.progress, text: redact(event.progress.text) };
  if (event.error) out.error = redactError(event.error);
  return out;
}

/** An error of the same shape whose message and detail are redacted (code, location and stack kept). */
export function redactError<E>(error: E): E {
  if (!compiled() || !(error instanceof Error)) return error;
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
