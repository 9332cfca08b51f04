import { describe, expect, it } from "vitest";
import { canonicalDuration, formatDuration, parseBytes, parseDuration } from "./units.js";

describe("durations", () => {
  it.each([
    ["90s", "1m30s"],
    ["1h", "1h0m0s"],
    ["1.5h", "1h30m0s"],
    ["500ms", "500ms"],
    ["1500ms", "1.5s"],
    ["0s", "0s"],
    ["0", "0s"],
    ["2m", "2m0s"],
    ["100us", "100µs"],
    ["1.5ms", "1.5ms"],
    ["10ns", "10ns"],
    ["1h2m3.004s", "1h2m3.004s"],
    ["-5s", "-5s"],
  ])("%s prints as %s", (input, printed) => {
    expect(canonicalDuration(input)).toBe(printed);
  });

  it("parses to nanoseconds", () => {
    expect(parseDuration("1m30s")).toBe(90_000_000_000);
    expect(parseDuration("0.1s")).toBe(100_000_000);
  });

  it.each(["", "10", "1x", "s", "1.s.", "--1s"])("rejects %j", (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it("formats large values", () => {
    expect(formatDuration(36 * 3600 * 1e9)).toBe("36h0m0s");
  });
});

describe("byte sizes", () => {
  it.each([
    ["1g", 1073741824],
    ["64m", 67108864],
    ["50M", 52428800],
    ["1.5k", 1536],
    ["10 MiB", 10485760],
    ["2GB", 2147483648],
    ["123", 123],
    ["123b", 123],
  ])("%s is %d bytes", (input, bytes) => {
    expect(parseBytes(input)).toBe(bytes);
  });

  it("takes numbers as bytes", () => {
    expect(parseBytes(4096)).toBe(4096);
  });

  it.each(["", "m", "1x", "1mbb", "1kb2", "-1m", "1bb"])("rejects %j", (input) => {
    expect(parseBytes(input)).toBeUndefined();
  });
});
