import type { ServiceConfig } from "@berth/compose-schema";
import { describe, expect, it } from "vitest";
import { decideImageAction, decidePull, serviceImage, splitImageRef } from "./image-policy.js";

const plain: ServiceConfig = { name: "web", image: "nginx:1" };
const builds: ServiceConfig = { name: "app", build: { context: "/src" } };
const both: ServiceConfig = { name: "api", image: "reg:5000/api:2", build: { context: "/src" } };

describe("decideImageAction", () => {
  it("pulls a missing image and leaves a present one", () => {
    expect(decideImageAction(plain, false, {})).toBe("pull");
    expect(decideImageAction(plain, true, {})).toBe("none");
    expect(decideImageAction({ ...plain, pull_policy: "if_not_present" }, true, {})).toBe("none");
  });

  it("follows pull_policy always and never, and --pull over it", () => {
    expect(decideImageAction({ ...plain, pull_policy: "always" }, true, {})).toBe("pull");
    expect(decideImageAction({ ...plain, pull_policy: "never" }, false, {})).toBe("missing");
    expect(decideImageAction({ ...plain, pull_policy: "never" }, false, { pull: "always" })).toBe("pull");
    expect(decideImageAction(plain, false, { pull: "never" })).toBe("missing");
  });

  it("builds what is missing, what --build asks and pull_policy: build", () => {
    expect(decideImageAction(builds, false, {})).toBe("build");
    expect(decideImageAction(builds, true, {})).toBe("none");
    expect(decideImageAction(builds, true, { build: "always" })).toBe("build");
    expect(decideImageAction({ ...builds, pull_policy: "build" }, true, {})).toBe("build");
    expect(decideImageAction(builds, false, { build: "never" })).toBe("missing");
  });

  it("tries the registry first for a service with both image: and build:", () => {
    expect(decideImageAction(both, false, {})).toBe("pull-then-build");
    expect(decideImageAction(both, false, { build: "never" })).toBe("pull");
    expect(decideImageAction({ ...both, pull_policy: "always" }, true, {})).toBe("pull-then-build");
    expect(decideImageAction({ ...both, pull_policy: "never" }, false, {})).toBe("build");
  });
});

describe("decidePull (the pull command)", () => {
  it("pulls without a pull_policy, as compose's pull, and refreshes with daily, weekly, every_…", () => {
    expect(decidePull(plain, true)).toEqual({ pull: true, reason: "no pull_policy: pulled again" });
    for (const policy of ["daily", "weekly", "every_12h"])
      expect(decidePull({ ...plain, pull_policy: policy }, true).pull).toBe(true);
  });

  it("pulls a present image under missing only when its tag is latest (also when none is written), never a digest", () => {
    const missing = { ...plain, pull_policy: "missing" };
    expect(decidePull(missing, true)).toEqual({ pull: false, reason: "already present" });
    expect(decidePull({ ...missing, image: "nginx" }, true).pull).toBe(true);
    expect(decidePull({ ...missing, image: "reg:5000/nginx:latest" }, true).pull).toBe(true);
    expect(decidePull({ ...missing, image: "nginx@sha256:abc" }, true).pull).toBe(false);
    expect(decidePull({ ...missing, pull_policy: "if_not_present" }, false).pull).toBe(true);
  });

  it("leaves images under never and build", () => {
    expect(decidePull({ ...plain, pull_policy: "never" }, false)).toEqual({
      pull: false,
      reason: "pull_policy: never",
    });
    expect(decidePull({ ...both, pull_policy: "build" }, false).pull).toBe(false);
  });
});

describe("serviceImage", () => {
  it("names built images project-service unless image: is given", () => {
    expect(serviceImage("proj", builds)).toBe("proj-app");
    expect(serviceImage("proj", both)).toBe("reg:5000/api:2");
  });
});

describe("splitImageRef", () => {
  it("tells a tag from a registry port", () => {
    expect(splitImageRef("nginx")).toEqual({ repository: "nginx" });
    expect(splitImageRef("nginx:1.25")).toEqual({ repository: "nginx", tag: "1.25" });
    expect(splitImageRef("127.0.0.1:5000/app")).toEqual({ repository: "127.0.0.1:5000/app" });
    expect(splitImageRef("127.0.0.1:5000/app:2")).toEqual({ repository: "127.0.0.1:5000/app", tag: "2" });
    expect(splitImageRef("app@sha256:abc")).toEqual({ repository: "app", digest: "sha256:abc" });
  });
});
