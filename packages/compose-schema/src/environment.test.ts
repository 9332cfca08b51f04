import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveEnvironment } from "./environment.js";
import { ErrorCodes } from "./errors.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "berth-env-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("resolveEnvironment", () => {
  it("reads the project's .env when no env file is given, the process environment winning", () => {
    writeFileSync(join(dir, ".env"), "A=file\nB=file\nC=$B-x\n");
    const out = resolveEnvironment({ projectDir: dir, processEnv: { B: "proc", D: "d", U: undefined } });
    expect(out).toEqual({
      vars: { A: "file", B: "proc", C: "proc-x", D: "d" },
      envFiles: [join(dir, ".env")],
    });
  });

  it("treats a missing or directory .env as no file", () => {
    expect(resolveEnvironment({ projectDir: dir, processEnv: { A: "1" } })).toEqual({
      vars: { A: "1" },
      envFiles: [],
    });
    mkdirSync(join(dir, ".env"));
    expect(resolveEnvironment({ projectDir: dir, processEnv: {} })).toEqual({ vars: {}, envFiles: [] });
  });

  it("reads --env-file files in order instead of .env, later files winning and seeing earlier ones", () => {
    writeFileSync(join(dir, ".env"), "IGNORED=1\n");
    writeFileSync(join(dir, "one.env"), "A=1\nB=1\n");
    writeFileSync(join(dir, "two.env"), "B=2\nC=${A}${B}\n");
    const out = resolveEnvironment({
      projectDir: dir,
      envFiles: [join(dir, "one.env"), relative(process.cwd(), join(dir, "two.env"))],
      processEnv: {},
    });
    expect(out.vars).toEqual({ A: "1", B: "2", C: "11" });
    expect(out.envFiles).toEqual([join(dir, "one.env"), join(dir, "two.env")]);
  });

  it("fails on an env file that was named but is missing or a directory", () => {
    const missing = join(dir, "nope.env");
    expect(() => resolveEnvironment({ projectDir: dir, envFiles: [missing], processEnv: {} })).toThrow(
      expect.objectContaining({ code: ErrorCodes.envFile, message: expect.stringContaining(missing) }),
    );
    expect(() => resolveEnvironment({ projectDir: dir, envFiles: [dir], processEnv: {} })).toThrow(
      /is a directory/,
    );
  });

  it("does not take inherited object properties for variables", () => {
    writeFileSync(join(dir, ".env"), "A=${toString:-unset}\nconstructor\n");
    expect(resolveEnvironment({ projectDir: dir, processEnv: {} }).vars).toEqual({ A: "unset" });
  });

  it("passes syntax errors of an env file through with its path and line", () => {
    writeFileSync(join(dir, ".env"), "A=1\nB C=2\n");
    expect(() => resolveEnvironment({ projectDir: dir, processEnv: {} })).toThrow(
      expect.objectContaining({
        code: ErrorCodes.envFile,
        location: { file: join(dir, ".env"), line: 2, column: 1 },
      }),
    );
  });
});
