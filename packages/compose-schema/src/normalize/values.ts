import { ComposeError, ErrorCodes } from "../errors.js";
import type { DocPath, Locator } from "../source.js";
import { formatPath } from "../source.js";
import { canonicalDuration, parseBytes } from "../units.js";

/** Converts durations and byte sizes at known places, reporting the ones that do not parse. */
export class ValueConverter {
  readonly errors: ComposeError[] = [];
  constructor(private readonly locator: Locator) {}

  duration(value: unknown, path: DocPath): string | undefined {
    if (value === undefined || value === null) return undefined;
    const text = String(value);
    const out = canonicalDuration(text);
    if (out === undefined)
      this.fail(path, text, "duration", 'use a number with a unit, e.g. "30s" or "1m30s"');
    return out;
  }

  bytes(value: unknown, path: DocPath): number | undefined {
    if (value === undefined || value === null) return undefined;
    const out = typeof value === "number" || typeof value === "string" ? parseBytes(value) : undefined;
    if (out === undefined)
      this.fail(path, String(value), "byte size", 'use a number with an optional unit, e.g. "512m"');
    return out;
  }

  private fail(path: DocPath, text: string, what: string, hint: string): void {
    this.errors.push(
      new ComposeError(
        ErrorCodes.invalidValue,
        `${formatPath(path)}: ${JSON.stringify(text)} is not a valid ${what}`,
        {
          location: this.locator.locate(path),
          detail: hint,
        },
      ),
    );
  }
}
