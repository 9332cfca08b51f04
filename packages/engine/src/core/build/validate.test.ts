import type { BuildConfig } from "@berth/compose-schema";
import { describe, expect, it } from "vitest";
import type { BuilderChoice } from "./builder-kind.js";
import { buildKeyErrors } from "./validate.js";

const buildkit: BuilderChoice = { kind: "buildkit", apiVersion: 1.41 };
const legacy: BuilderChoice = { kind: "legacy", reason: "DOCKER_BUILDKIT=0", apiVersion: 1.41 };

const errorsOf = (build: Partial<BuildConfig>, builder = buildkit) =>
  buildKeyErrors({ name: "api", build: { context: "/src", ...build } }, builder, "linux/amd64").map((e) => [
    (e as { code?: string }).code,
    e.message,
  ]);

describe("buildKeyErrors", () => {
  it("passes what BuildKit on this engine honours", () => {
    expect(
      errorsOf({
        args: { A: "1" },
        target: "t",
        labels: { a: "b" },
        secrets: [{ source: "s" }],
        ssh: ["default"],
        cache_from: ["app:cache", "type=registry,ref=app:cache2"],
        cache_to: ["type=inline"],
        network: "host",
        extra_hosts: ["h=1.2.3.4"],
        pull: true,
        no_cache: true,
        tags: ["app:1"],
        platforms: ["linux/amd64"],
      }),
    ).toEqual([]);
  });

  it("names the service and the key of what cannot be honoured", () => {
    expect(errorsOf({ platforms: ["linux/amd64", "linux/arm64"] })).toEqual([
      [
        "BUILD_KEY_UNSUPPORTED",
        "service api: build.platforms: several platforms (linux/amd64, linux/arm64) need a builder that exports multi-platform images; the engine's image store keeps one platform per tag (linux/amd64 here)",
      ],
    ]);
    expect(errorsOf({ privileged: true })[0][1]).toMatch(
      /^service api: build\.privileged: .*security\.insecure/,
    );
    expect(errorsOf({ cache_from: ["type=local,src=/tmp/c"] })[0][1]).toMatch(
      /^service api: build\.cache_from: cache type "local"/,
    );
    expect(errorsOf({ cache_to: ["type=registry,ref=x"] })[0][1]).toMatch(
      /^service api: build\.cache_to: cache type "registry"/,
    );
    expect(errorsOf({ network: "mynet" })[0][1]).toMatch(/^service api: build\.network: .*not "mynet"/);
    expect(
      errorsOf({ shm_size: 1024, ulimits: { nofile: { single: 10 } } }).map((e) => e[1].split(":")[1]),
    ).toEqual([" build.shm_size", " build.ulimits"]);
    expect(errorsOf({ additional_contexts: { x: "/ctx" } })).toEqual([
      [
        "BUILD_FRONTEND_TOO_OLD",
        expect.stringMatching(
          /^service api: build\.additional_contexts \(named contexts\): it needs Dockerfile frontend 1\.4 or later: add `# syntax=docker\/dockerfile:1`/,
        ),
      ],
    ]);
  });

  it("passes shm_size and ulimits to engines whose BuildKit honours them, and to the legacy builder", () => {
    const limits = { shm_size: 1024, ulimits: { nofile: { single: 10 } } };
    expect(errorsOf(limits, { kind: "buildkit", apiVersion: 1.43 })).toEqual([]);
    expect(errorsOf(limits, legacy)).toEqual([]);
  });

  it("refuses what needs BuildKit when the legacy builder is used, saying why", () => {
    expect(
      errorsOf({ secrets: [{ source: "s" }], ssh: ["default"], cache_to: ["type=inline"] }, legacy).map(
        (e) => e[1],
      ),
    ).toEqual([
      "service api: build.secrets: build secrets need BuildKit (the legacy builder is used: DOCKER_BUILDKIT=0)",
      "service api: build.ssh: SSH forwarding needs BuildKit (the legacy builder is used: DOCKER_BUILDKIT=0)",
      "service api: build.cache_to: cache export needs BuildKit (the legacy builder is used: DOCKER_BUILDKIT=0)",
    ]);
  });
});
