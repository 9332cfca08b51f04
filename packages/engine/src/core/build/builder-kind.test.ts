import { describe, expect, it } from "vitest";
import { chooseBuilder } from "./builder-kind.js";

describe("chooseBuilder", () => {
  const engine2010 = { apiVersion: "1.41", osType: "linux" };

  it("takes BuildKit on a Linux engine that names no builder (20.10)", () => {
    expect(chooseBuilder({}, engine2010)).toEqual({ kind: "buildkit", apiVersion: 1.41 });
  });

  it("takes the legacy builder with DOCKER_BUILDKIT=0, saying why", () => {
    for (const value of ["0", "false", "OFF"])
      expect(chooseBuilder({ DOCKER_BUILDKIT: value }, engine2010)).toMatchObject({
        kind: "legacy",
        reason: "DOCKER_BUILDKIT=0",
      });
    expect(chooseBuilder({ DOCKER_BUILDKIT: "1" }, engine2010).kind).toBe("buildkit");
  });

  it("follows the engine's Builder-Version, and refuses BuildKit where it cannot run", () => {
    expect(chooseBuilder({}, { ...engine2010, builderVersion: "1" }).kind).toBe("legacy");
    expect(chooseBuilder({}, { apiVersion: "1.44", osType: "windows", builderVersion: "2" }).kind).toBe(
      "buildkit",
    );
    expect(chooseBuilder({}, { apiVersion: "1.41", osType: "windows" })).toMatchObject({ kind: "legacy" });
    expect(chooseBuilder({}, { apiVersion: "1.38", osType: "linux" })).toMatchObject({
      kind: "legacy",
      reason: "the engine's API 1.38 predates BuildKit",
    });
  });
});
