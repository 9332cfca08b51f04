import { describe, expect, it } from "vitest";
import { parseEnvFlags } from "./env-flags.js";
import { UsageError } from "./errors.js";
import { boolFlag } from "./options.js";
import { buildPolicy, parseScale } from "./scale.js";
import { parseTimeFlag } from "./time-flag.js";
import { parseVolumeFlag } from "./volume-flag.js";

describe("command flag values", () => {
  it("parses --scale SERVICE=N and rejects anything else", () => {
    expect(parseScale(["web=3", "worker=0"])).toEqual({ web: 3, worker: 0 });
    expect(parseScale(undefined)).toBeUndefined();
    for (const bad of ["web", "=3", "web=", "web=-1", "web=1.5"])
      expect(() => parseScale([bad])).toThrow(UsageError);
  });

  it("gives scale's arguments compose's error words", () => {
    expect(parseScale(["web=2"], (v) => `invalid scale specifier: ${v}`)).toEqual({ web: 2 });
    expect(() => parseScale(["web"], (v) => `invalid scale specifier: ${v}`)).toThrow(
      "invalid scale specifier: web",
    );
  });

  it("reads Go-style booleans (--pause=false, --sig-proxy=0) and refuses anything else", () => {
    expect(["true", "1", "t", "TRUE", "True"].map(boolFlag)).toEqual([true, true, true, true, true]);
    expect(["false", "0", "f", "FALSE", "False"].map(boolFlag)).toEqual([false, false, false, false, false]);
    expect(() => boolFlag("web")).toThrow('expects true or false, not "web"');
  });

  it("maps --build/--no-build to the engine's policy", () => {
    expect([buildPolicy(true), buildPolicy(false), buildPolicy(undefined)]).toEqual([
      "always",
      "never",
      "auto",
    ]);
  });

  it("takes -e KEY from the environment and -e KEY=VALUE as written", () => {
    expect(parseEnvFlags(["A=1=2", "B", "C"], { B: "from-env" })).toEqual({ A: "1=2", B: "from-env" });
    expect(() => parseEnvFlags(["=x"], {})).toThrow(UsageError);
  });

  it("parses run -v as bind mounts, named or anonymous volumes", () => {
    expect(parseVolumeFlag("./data:/data:ro", "/proj")).toEqual({
      type: "bind",
      source: "/proj/data",
      target: "/data",
      read_only: true,
    });
    expect(parseVolumeFlag("cache:/cache", "/proj")).toEqual({
      type: "volume",
      source: "cache",
      target: "/cache",
    });
    expect(parseVolumeFlag("/scratch", "/proj")).toEqual({ type: "volume", target: "/scratch" });
    expect(() => parseVolumeFlag("a:/b:rx", "/proj")).toThrow(UsageError);
  });

  it("turns --since durations into Unix seconds and keeps dates and seconds", () => {
    const now = Date.parse("2024-01-01T12:00:00Z");
    expect(parseTimeFlag("--since", "90m", now)).toBe(String(now / 1000 - 5400));
    expect(parseTimeFlag("--since", "1h30m", now)).toBe(String(now / 1000 - 5400));
    expect(parseTimeFlag("--since", "1700000000", now)).toBe("1700000000");
    expect(parseTimeFlag("--since", "2024-01-01T11:00:00Z", now)).toBe(String(now / 1000 - 3600));
    expect(() => parseTimeFlag("--since", "yesterday", now)).toThrow(UsageError);
  });
});
