import { describe, expect, it } from "vitest";
import { isNoise, matchPath, ruleMatcher, skippableDir } from "./match.js";
import type { WatchRule } from "./rules.js";

const rule = (over: Partial<WatchRule> = {}): WatchRule => ({
  service: "app",
  index: 0,
  path: "/p/src",
  action: "sync",
  target: "/app",
  ignore: [],
  include: [],
  initialSync: false,
  ...over,
});

describe("matchPath", () => {
  it("gives the path relative to the rule, for paths inside it only", () => {
    const m = ruleMatcher(rule());
    expect(matchPath(m, "/p/src/a/b.js")).toBe("a/b.js");
    expect(matchPath(m, "/p/src")).toBe("");
    expect(matchPath(m, "/p/srcx/a.js")).toBeUndefined();
    expect(matchPath(m, "/p/other.js")).toBeUndefined();
  });

  it("applies ignore and include with .dockerignore syntax, relative to the rule's path", () => {
    const m = ruleMatcher(rule({ ignore: ["node_modules/", "**/*.test.js", "!keep.test.js"] }));
    expect(matchPath(m, "/p/src/node_modules/x/index.js")).toBeUndefined();
    expect(matchPath(m, "/p/src/lib/a.test.js")).toBeUndefined();
    expect(matchPath(m, "/p/src/keep.test.js")).toBe("keep.test.js");
    const only = ruleMatcher(rule({ include: ["*.conf", "conf.d/**"] }));
    expect(matchPath(only, "/p/src/app.conf")).toBe("app.conf");
    expect(matchPath(only, "/p/src/conf.d/x.ini")).toBe("conf.d/x.ini");
    expect(matchPath(only, "/p/src/readme.md")).toBeUndefined();
  });

  it("a rule on one file matches by the file's name", () => {
    const m = ruleMatcher(rule({ path: "/p/package.json", action: "rebuild", target: undefined }));
    expect(matchPath(m, "/p/package.json")).toBe("");
    expect(matchPath(m, "/p/package.json.swp")).toBeUndefined();
  });

  it("honours the build context's .dockerignore for rules inside the context only", () => {
    const context = { dir: "/p", dockerignore: "src/*.env\n" };
    expect(matchPath(ruleMatcher(rule(), context), "/p/src/.env")).toBeUndefined();
    expect(matchPath(ruleMatcher(rule(), context), "/p/src/app.js")).toBe("app.js");
    const outside = ruleMatcher(rule({ path: "/q/src" }), context);
    expect(matchPath(outside, "/q/src/x.env")).toBe("x.env");
  });
});

describe("isNoise", () => {
  it("is true for editor and VCS files wherever they are", () => {
    for (const path of [
      ".git/HEAD",
      "a/.git/index",
      "x.swp",
      "a/.x.js.swx",
      "b.js~",
      "4913",
      "a/.#b.js",
      "#b.js#",
      ".hg/store",
      "x.js___jb_tmp___",
    ])
      expect(isNoise(path), path).toBe(true);
    for (const path of ["app.js", "git/x", "a/b.swp.js", "49130"]) expect(isNoise(path), path).toBe(false);
  });
});

describe("skippableDir", () => {
  it("skips folders no rule could act on", () => {
    const ms = [
      ruleMatcher(rule({ ignore: ["node_modules/", "dist", "!dist/keep"] })),
      ruleMatcher(rule({ path: "/p/conf" })),
    ];
    expect(skippableDir(ms, "/p")).toBe(false);
    expect(skippableDir(ms, "/p/src")).toBe(false);
    expect(skippableDir(ms, "/p/src/lib")).toBe(false);
    expect(skippableDir(ms, "/p/src/node_modules")).toBe(true);
    expect(skippableDir(ms, "/p/src/.git")).toBe(true);
    // An exception might re-include something below: walk it.
    expect(skippableDir(ms, "/p/src/dist")).toBe(false);
    expect(skippableDir(ms, "/p/unrelated")).toBe(true);
  });
});
