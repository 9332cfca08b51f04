import { describe, expect, it } from "vitest";
import { editDistance, suggest } from "./suggest.js";

const serviceKeys = [
  "environment",
  "env_file",
  "image",
  "ports",
  "depends_on",
  "healthcheck",
  "volumes",
  "command",
];

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and adjacent transpositions as one edit each", () => {
    expect(editDistance("image", "image")).toBe(0);
    expect(editDistance("port", "ports")).toBe(1);
    expect(editDistance("ports", "port")).toBe(1);
    expect(editDistance("imagr", "image")).toBe(1);
    expect(editDistance("imgae", "image")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });
});

describe("suggest", () => {
  it("finds the key a typo was meant to be", () => {
    expect(suggest("enviroment", serviceKeys)).toBe("environment");
    expect(suggest("imgae", serviceKeys)).toBe("image");
    expect(suggest("port", serviceKeys)).toBe("ports");
    expect(suggest("depend_on", serviceKeys)).toBe("depends_on");
    expect(suggest("helthcheck", serviceKeys)).toBe("healthcheck");
    expect(suggest("Image", serviceKeys)).toBe("image");
  });

  it("prefers the closest candidate", () => {
    expect(suggest("volume", ["volumes", "volume_driver"])).toBe("volumes");
  });

  it("says nothing when no candidate is close", () => {
    expect(suggest("restart_policy", serviceKeys)).toBeUndefined();
    expect(suggest("foo", serviceKeys)).toBeUndefined();
    expect(suggest("x", ["y"])).toBe("y");
    expect(suggest("ab", ["yz"])).toBeUndefined();
    expect(suggest("anything", [])).toBeUndefined();
  });
});
