import { describe, expect, it } from "vitest";
import {
  buildIgnorePatterns,
  dockerfileSource,
  isExcluded,
  mayReincludeBelow,
  parseDockerignore,
} from "./build-context.js";

const excluded = (text: string, path: string) => isExcluded(path, parseDockerignore(text));

describe("parseDockerignore", () => {
  it("skips comments and blank lines and cleans patterns", () => {
    const patterns = parseDockerignore("# comment\n\n  /foo/  \n!./bar\n");
    expect(patterns.map((p) => [p.pattern, p.exception])).toEqual([
      ["foo", false],
      ["bar", true],
    ]);
  });
});

describe("isExcluded", () => {
  it("matches single segments with * and ?", () => {
    expect(excluded("*.log", "a.log")).toBe(true);
    expect(excluded("*.log", "dir/a.log")).toBe(false);
    expect(excluded("*/*.log", "dir/a.log")).toBe(true);
    expect(excluded("a?c", "abc")).toBe(true);
    expect(excluded("a?c", "a/c")).toBe(false);
  });

  it("lets ** span directories, including none", () => {
    expect(excluded("**/*.log", "a.log")).toBe(true);
    expect(excluded("**/*.log", "x/y/a.log")).toBe(true);
    expect(excluded("docs/**", "docs/a/b.md")).toBe(true);
    expect(excluded("a/**/b", "a/b")).toBe(true);
    expect(excluded("a/**/b", "a/x/y/b")).toBe(true);
    expect(excluded("a/**/b", "c/a/b")).toBe(false);
  });

  it("excludes everything below a matched directory", () => {
    expect(excluded(".git", ".git/objects/ab/cdef")).toBe(true);
    expect(excluded("/node_modules", "node_modules/x/index.js")).toBe(true);
    expect(excluded("node_modules", "src/node_modules/x.js")).toBe(false);
  });

  it("lets the last matching pattern decide", () => {
    const text = "*.md\n!README.md\n";
    expect(excluded(text, "CHANGES.md")).toBe(true);
    expect(excluded(text, "README.md")).toBe(false);
    expect(excluded(`${text}README*\n`, "README.md")).toBe(true);
  });

  it("supports character classes and escapes", () => {
    expect(excluded("file[0-9]", "file7")).toBe(true);
    expect(excluded("file[!0-9]", "file7")).toBe(false);
    expect(excluded("file[!0-9]", "filex")).toBe(true);
    expect(excluded("a\\*b", "a*b")).toBe(true);
    expect(excluded("a\\*b", "axb")).toBe(false);
  });

  it("never excludes the Dockerfile or .dockerignore", () => {
    const patterns = buildIgnorePatterns("*\n", "build/Dockerfile.dev");
    expect(isExcluded("build/Dockerfile.dev", patterns)).toBe(false);
    expect(isExcluded(".dockerignore", patterns)).toBe(false);
    expect(isExcluded("other", patterns)).toBe(true);
  });

  it("excludes nothing without a .dockerignore", () => {
    expect(isExcluded(".git/config", buildIgnorePatterns(undefined, "Dockerfile"))).toBe(false);
  });
});

describe("mayReincludeBelow", () => {
  it("walks a directory only when an exception may reach inside it", () => {
    const patterns = parseDockerignore("logs\n!logs/keep.txt\n");
    expect(mayReincludeBelow("logs", patterns)).toBe(true);
    expect(mayReincludeBelow("other", patterns)).toBe(false);
    expect(mayReincludeBelow("logs", parseDockerignore("logs\n"))).toBe(false);
    expect(mayReincludeBelow("deep/dir", parseDockerignore("deep\n!**/keep\n"))).toBe(true);
  });
});

describe("dockerfileSource", () => {
  it("places the Dockerfile inside the context tar", () => {
    expect(dockerfileSource({ context: "/src" })).toEqual({ pathInContext: "Dockerfile" });
    expect(dockerfileSource({ context: "/src", dockerfile: "/src/d/app.Dockerfile" })).toEqual({
      pathInContext: "d/app.Dockerfile",
    });
    expect(dockerfileSource({ context: "/src", dockerfile: "../other/Dockerfile" })).toMatchObject({
      outsidePath: "/other/Dockerfile",
    });
    expect(dockerfileSource({ context: "/src", dockerfile_inline: "FROM x" }).inline).toBe("FROM x");
  });
});
