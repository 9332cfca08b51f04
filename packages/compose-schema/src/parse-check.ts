import { isDeepStrictEqual } from "node:util";
import type { SourceFile } from "./source.js";

/** A fast parse tier gave other data than the exact parser: a bug in that tier, never the user's fault. */
export class ParseTierMismatch extends Error {
  readonly code = "BERTH_PARSE_TIER_MISMATCH";
  constructor(path: string, tier: string) {
    super(
      `${tier} and the exact parser read ${path} differently: please report this file; ` +
        "unset BERTH_PARSE_CHECK to load it meanwhile",
    );
  }
}

/**
 * The check mode (BERTH_PARSE_CHECK=1, set in CI, so that every file the whole suite loads is a sample):
 * each file a fast tier read is read again by the exact parser, and their data must be the same.
 */
export function parseCheckEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return env.BERTH_PARSE_CHECK === "1";
}

export function checkAgainstExact(path: string, tier: string, docs: unknown[], exact: SourceFile[]): void {
  if (
    !isDeepStrictEqual(
      docs,
      exact.map((f) => f.data),
    )
  )
    throw new ParseTierMismatch(path, tier);
}
