import { describe, expect, it } from "vitest";
import { EntryLocator } from "./entry-locator.js";
import { type SourceFile, hasPath } from "./source.js";

/** Locates a path at line = 100 * file number + its depth, column = last index + 1. */
function file(n: number, data: Record<string, unknown>): SourceFile {
  return {
    path: `/p/${n}.yaml`,
    data,
    locate: (path, which = "value") => {
      const last = path[path.length - 1];
      return {
        file: `/p/${n}.yaml`,
        line: 100 * n + (hasPath(data, path) ? path.length : 0),
        column: (typeof last === "number" ? last + 1 : 0) + (which === "key" ? 50 : 0),
      };
    },
  };
}

describe("EntryLocator.locateEntry", () => {
  it("finds the list item that names the entry, in the last file that has it", () => {
    const locator = new EntryLocator();
    locator.addFile(file(1, { services: { web: { networks: ["a", "b"] } } }));
    locator.addFile(file(2, { services: { web: { networks: ["c", "b"] } } }));
    expect(locator.locateEntry(["services", "web", "networks"], "b")).toEqual({
      file: "/p/2.yaml",
      line: 204,
      column: 2,
    });
    expect(locator.locateEntry(["services", "web", "networks"], "a")).toEqual({
      file: "/p/1.yaml",
      line: 104,
      column: 1,
    });
  });

  it("finds the key of the map form", () => {
    const locator = new EntryLocator();
    locator.addFile(file(1, { services: { web: { depends_on: { db: { condition: "service_started" } } } } }));
    expect(locator.locateEntry(["services", "web", "depends_on"], "db")).toEqual({
      file: "/p/1.yaml",
      line: 104,
      column: 50,
    });
  });

  it("follows aliases registered for extended or included services", () => {
    const locator = new EntryLocator();
    locator.addFile(file(1, { services: { web: { image: "x" } } }));
    locator.alias(["services", "web"], file(3, { services: { base: { networks: ["n"] } } }), [
      "services",
      "base",
    ]);
    expect(locator.locateEntry(["services", "web", "networks"], "n")).toEqual({
      file: "/p/3.yaml",
      line: 304,
      column: 1,
    });
  });
});
