import type { Project } from "@berth/compose-schema";
import { describe, expect, it } from "vitest";
import { planBuild, planImages, planPush } from "./image-plan.js";

/** Services that build (with their `service:` contexts) or, given an image, only use it. */
function project(services: Record<string, { reads?: string[]; image?: string; tags?: string[] }>): Project {
  return {
    name: "p",
    services: Object.fromEntries(
      Object.entries(services).map(([name, { reads, image, tags }]) => [
        name,
        {
          name,
          ...(image ? { image } : {}),
          ...(reads
            ? {
                build: {
                  context: "/src",
                  additional_contexts: Object.fromEntries(reads.map((r) => [r, `service:${r}`])),
                  ...(tags ? { tags } : {}),
                },
              }
            : {}),
        },
      ]),
    ),
  } as unknown as Project;
}

const order = (steps: { image: string; after: string[] }[]) => steps.map((s) => [s.image, s.after]);

describe("the image plan's order", () => {
  // app reads api, api reads base; slow reads nothing, so app need not wait for it as a wave would.
  const chain = project({
    base: { reads: [] },
    api: { reads: ["base"] },
    app: { reads: ["api"] },
    slow: { reads: [] },
  });

  it("gives each build the builds it waits for, and builds what is read even when not asked for", () => {
    expect(order(planBuild(chain, ["app", "slow"]))).toEqual([
      ["p-slow", []],
      ["p-base", []],
      ["p-api", ["p-base"]],
      ["p-app", ["p-api"]],
    ]);
    expect(planBuild(chain, ["app"]).map((s) => s.reason)).toEqual([
      "read by the build of api",
      "read by the build of app",
      "build:",
    ]);
  });

  it("waits only for the images the plan pulls or builds", () => {
    // base is present and needs nothing, so api's build does not wait for it.
    expect(order(planImages(chain, ["base", "api", "app"], { "p-base": "sha256:1" }))).toEqual([
      ["p-api", []],
      ["p-app", ["p-api"]],
    ]);
  });

  it("refuses a cycle of builds before planning anything", () => {
    const cyclic = project({ a: { reads: ["b"] }, b: { reads: ["a"] }, c: { reads: [] } });
    expect(() => planBuild(cyclic, ["c", "a"])).toThrow(
      "service b: build.additional_contexts: service:a makes a cycle of builds (a -> b -> a)",
    );
    expect(() => planImages(cyclic, ["a", "c"], {})).toThrow(/makes a cycle of builds \(a -> b -> a\)/);
  });

  it("pushes one image's tags one after another, other images at once", () => {
    const tagged = project({
      api: { reads: [], image: "r/api:1", tags: ["r/api:2", "r/api:3"] },
      web: { reads: [], image: "r/web:1" },
    });
    expect(order(planPush(tagged, ["api", "web"]))).toEqual([
      ["r/api:1", []],
      ["r/web:1", []],
      ["r/api:2", ["r/api:1"]],
      ["r/api:3", ["r/api:2"]],
    ]);
  });
});
