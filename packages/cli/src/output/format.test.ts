import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { resolveGlobalOptions } from "../options.js";
import { serviceColor, useColor } from "./colors.js";
import { formatError } from "./errors.js";
import { LogPrefixer } from "./log-prefix.js";

describe("formatError", () => {
  it("prints loader errors one per line, relative to the current directory", () => {
    const located = (line: number, message: string) =>
      Object.assign(new Error(`/proj/compose.yaml:${line}:9: ${message}`), {
        location: { file: "/proj/compose.yaml", line, column: 9 },
      });
    const err = Object.assign(new Error("two"), {
      code: "COMPOSE_INVALID",
      errors: [located(14, "bad port"), located(20, "unknown key")],
    });
    expect(formatError(err, "/proj", false)).toEqual([
      "error: the compose file is invalid (2 problems); fix them and retry:",
      "  compose.yaml:14:9: bad port",
      "  compose.yaml:20:9: unknown key",
    ]);
  });

  it("adds the detail lines, and the stack only when debugging", () => {
    const err = Object.assign(new Error("service web failed"), { detail: "last line 1\nlast line 2\n" });
    expect(formatError(err, "/", false)).toEqual([
      "error: service web failed",
      "  last line 1",
      "  last line 2",
    ]);
    expect(formatError(err, "/", true).at(-1)).toContain("at ");
  });
});

describe("colours", () => {
  it("follows --ansi, then NO_COLOR, then the terminal", () => {
    expect(useColor("always", { NO_COLOR: "1" }, false)).toBe(true);
    expect(useColor("never", {}, true)).toBe(false);
    expect(useColor("auto", { NO_COLOR: "1" }, true)).toBe(false);
    expect(useColor("auto", {}, true)).toBe(true);
    expect(useColor("auto", {}, false)).toBe(false);
  });

  it("gives a service the same colour every time", () => {
    expect(serviceColor("web")("x")).toBe(serviceColor("web")("x"));
  });
});

describe("LogPrefixer", () => {
  it("pads names to the widest one seen so far", () => {
    const p = new LogPrefixer({ color: false, prefix: true });
    expect(p.format("database-1", "database", "ready")).toBe("database-1  | ready");
    expect(p.format("web-1", "web", "hello")).toBe("web-1       | hello");
  });

  it("prints bare lines with --no-log-prefix", () => {
    expect(new LogPrefixer({ color: true, prefix: false }).format("web-1", "web", "hi")).toBe("hi");
  });
});

describe("resolveGlobalOptions", () => {
  it("takes flags over the environment", () => {
    const g = resolveGlobalOptions(
      { progress: "json" },
      { COMPOSE_PROGRESS: "plain", COMPOSE_PARALLEL_LIMIT: "4" },
    );
    expect(g.progress).toBe("json");
    expect(g.parallel).toBe(4);
    expect(resolveGlobalOptions({}, { COMPOSE_ANSI: "never" }).ansi).toBe("never");
  });

  it("rejects values it does not know as usage errors", () => {
    expect(() => resolveGlobalOptions({}, { COMPOSE_PROGRESS: "fancy" })).toThrow(UsageError);
    expect(() => resolveGlobalOptions({ parallel: "x" }, {})).toThrow(UsageError);
  });
});
