import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ErrorCodes } from "./errors.js";
import { findComposeFiles } from "./find-files.js";

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "berth-find-")));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function touch(...parts: string[]): string {
  const path = join(root, ...parts);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, "services: {}\n");
  return path;
}

describe("findComposeFiles", () => {
  it("uses -f files relative to cwd, keeps - for stdin, and takes the first file's folder as project dir", () => {
    const a = touch("app", "a.yaml");
    const b = touch("other", "b.yaml");
    const out = findComposeFiles({
      files: ["a.yaml", "-", "../other/b.yaml"],
      cwd: join(root, "app"),
      env: {},
    });
    expect(out).toEqual({ files: [a, "-", b], projectDir: join(root, "app") });
  });

  it("takes cwd as the project dir when the only file is stdin, and --project-directory over both", () => {
    expect(findComposeFiles({ files: ["-"], cwd: root, env: {} })).toEqual({
      files: ["-"],
      projectDir: root,
    });
    const a = touch("a.yaml");
    const out = findComposeFiles({ files: [a], cwd: root, projectDirectory: "proj", env: {} });
    expect(out).toEqual({ files: [a], projectDir: join(root, "proj") });
  });

  it("fails naming a missing -f file", () => {
    expect(() => findComposeFiles({ files: ["nope.yaml"], cwd: root, env: {} })).toThrow(
      expect.objectContaining({
        code: ErrorCodes.fileNotFound,
        message: expect.stringContaining(join(root, "nope.yaml")),
      }),
    );
    expect(() => findComposeFiles({ files: ["."], cwd: root, env: {} })).toThrow(/is a directory/);
  });

  it("uses COMPOSE_FILE when there is no -f, split on COMPOSE_PATH_SEPARATOR", () => {
    const a = touch("a.yaml");
    const b = touch("sub", "b.yaml");
    expect(findComposeFiles({ cwd: root, env: { COMPOSE_FILE: "a.yaml:sub/b.yaml" } }).files).toEqual([a, b]);
    const custom = findComposeFiles({
      cwd: root,
      env: { COMPOSE_FILE: "a.yaml;sub/b.yaml", COMPOSE_PATH_SEPARATOR: ";" },
    });
    expect(custom).toEqual({ files: [a, b], projectDir: root });
    // -f wins over COMPOSE_FILE.
    expect(
      findComposeFiles({ files: ["sub/b.yaml"], cwd: root, env: { COMPOSE_FILE: "a.yaml" } }).files,
    ).toEqual([b]);
    expect(() => findComposeFiles({ cwd: root, env: { COMPOSE_FILE: "a.yaml:gone.yaml" } })).toThrow(
      expect.objectContaining({
        code: ErrorCodes.fileNotFound,
        message: expect.stringContaining("COMPOSE_FILE"),
      }),
    );
  });

  it("searches cwd then its parents, taking the nearest folder with a compose file", () => {
    touch("compose.yaml");
    const near = touch("a", "docker-compose.yml");
    mkdirSync(join(root, "a", "b", "c"), { recursive: true });
    const out = findComposeFiles({ cwd: join(root, "a", "b", "c"), env: {} });
    expect(out).toEqual({ files: [near], projectDir: join(root, "a") });
  });

  it("prefers names in compose's order and adds the override file of the same folder", () => {
    const main = touch("compose.yaml");
    touch("compose.yml");
    touch("docker-compose.yml");
    const override = touch("compose.override.yml");
    touch("docker-compose.override.yaml");
    expect(findComposeFiles({ cwd: root, env: {} }).files).toEqual([main, override]);
  });

  it("adds a docker-compose override to a compose.yaml", () => {
    const main = touch("compose.yaml");
    const override = touch("docker-compose.override.yaml");
    expect(findComposeFiles({ cwd: root, env: {} }).files).toEqual([main, override]);
  });

  it("starts the search in --project-directory when given", () => {
    const main = touch("proj", "compose.yml");
    touch("compose.yaml");
    const out = findComposeFiles({ cwd: root, projectDirectory: "proj", env: {} });
    expect(out).toEqual({ files: [main], projectDir: join(root, "proj") });
  });

  it("ignores a folder named like a compose file", () => {
    mkdirSync(join(root, "compose.yaml"));
    const main = touch("docker-compose.yaml");
    expect(findComposeFiles({ cwd: root, env: {} }).files).toEqual([main]);
  });

  it("fails when no compose file is found, saying where it looked and what to do", () => {
    mkdirSync(join(root, "empty"));
    expect(() => findComposeFiles({ cwd: join(root, "empty"), env: {} })).toThrow(
      expect.objectContaining({
        code: ErrorCodes.noComposeFile,
        message: expect.stringMatching(
          new RegExp(`in ${join(root, "empty")} or any parent directory \\(looked for compose.yaml, .*-f`),
        ),
      }),
    );
  });
});
