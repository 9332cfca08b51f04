import { ComposeError, ErrorCodes, type SourceLocation } from "../errors.js";
import { type DocPath, formatPath } from "../source.js";
import { OverrideTag, ResetTag } from "../tags.js";

export type Locate = (path: DocPath, which?: "key" | "value") => SourceLocation | undefined;

/** Collects the faults of one canonicalization pass, each located where it was written. */
export class CanonContext {
  readonly errors: ComposeError[] = [];
  constructor(readonly locate: Locate) {}

  invalid(path: DocPath, value: unknown, what: string, reason?: string): void {
    const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
    const why = reason ? `: ${reason}` : "";
    this.errors.push(
      new ComposeError(
        ErrorCodes.invalidValue,
        `${formatPath(path)}: ${shown} is not a valid ${what}${why}`,
        {
          location: this.locate(path),
        },
      ),
    );
  }
}

/**
 * Applies `fn` to a value unless it is a `!reset` (left for the merge to act on); the value
 * inside `!override` is converted and re-wrapped.
 */
export function mapTagged(value: unknown, fn: (v: unknown) => unknown): unknown {
  if (value instanceof ResetTag) return value;
  if (value instanceof OverrideTag) return new OverrideTag(fn(value.value));
  return fn(value);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof ResetTag) &&
    !(v instanceof OverrideTag)
  );
}

/** Scalars as compose turns them into strings (Go's fmt.Sprint of YAML scalars). */
export function scalarToString(v: unknown): string {
  return typeof v === "string" ? v : String(v);
}
