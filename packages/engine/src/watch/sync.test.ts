import { describe, expect, it } from "vitest";
import { ownershipOf } from "./sync.js";

describe("ownershipOf", () => {
  it("writes numeric users into the archive and leaves names to the engine's lookup", () => {
    expect(ownershipOf("")).toEqual({ uid: 0, gid: 0 });
    expect(ownershipOf("root")).toEqual({ uid: 0, gid: 0 });
    expect(ownershipOf("1000")).toEqual({ uid: 1000, gid: 0 });
    expect(ownershipOf("1000:50")).toEqual({ uid: 1000, gid: 50 });
    expect(ownershipOf("nobody")).toBe("by-name");
    expect(ownershipOf("1000:staff")).toBe("by-name");
  });
});
