import { afterEach, describe, expect, it, vi } from "vitest";
import { ParseTierMismatch, checkAgainstExact, parseCheckEnabled } from "./parse-check.js";
import { composeTexts } from "./parse-corpus.test-helpers.js";
import { parseComposeDocuments, parseExact } from "./parse.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("parse check mode", () => {
  it("is on with BERTH_PARSE_CHECK=1 only", () => {
    expect(parseCheckEnabled({ BERTH_PARSE_CHECK: "1" })).toBe(true);
    expect(parseCheckEnabled({ BERTH_PARSE_CHECK: "0" })).toBe(false);
    expect(parseCheckEnabled({})).toBe(false);
  });

  it("refuses data that differs from the exact parser's, even only in a scalar's type", () => {
    const exact = parseExact("f.yaml", "a: 1\n");
    expect(() => checkAgainstExact("f.yaml", "parse-lines", [{ a: "1" }], exact)).toThrow(ParseTierMismatch);
    expect(() => checkAgainstExact("f.yaml", "parse-lines", [{ a: 1 }], exact)).not.toThrow();
  });

  it("finds every compose file in the repository read alike by the tier that took it", () => {
    vi.stubEnv("BERTH_PARSE_CHECK", "1");
    let checked = 0;
    for (const { label, text } of composeTexts()) {
      try {
        parseComposeDocuments(label, text);
        checked++;
      } catch (err) {
        // Files the parsers refuse are the exact parser's to report; a mismatch is a failure.
        if (err instanceof ParseTierMismatch) throw err;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
