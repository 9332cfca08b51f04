/**
 * The Compose Specification's merge tags, kept in the parsed data until files are merged.
 * `!reset` removes the value inherited from earlier files; `!override X` replaces it with X
 * instead of merging. After merging, no instance of these classes remains in the data.
 */
export class ResetTag {
  readonly tag = "!reset";
}

export class OverrideTag {
  readonly tag = "!override";
  constructor(readonly value: unknown) {}
}

/** Whether a value holds a `!reset` or `!override` anywhere; without one, stages can skip copying it. */
export function hasTags(value: unknown): boolean {
  if (value instanceof ResetTag || value instanceof OverrideTag) return true;
  if (Array.isArray(value)) return value.some(hasTags);
  if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) if (hasTags(v)) return true;
  }
  return false;
}
