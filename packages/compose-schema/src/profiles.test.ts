import { describe, expect, it } from "vitest";
import { ErrorCodes, NoSuchServiceError } from "./errors.js";
import { activeProfiles, applyProfiles } from "./profiles.js";

// The spec's example (profiles.md), checked with `compose-reference --profile ... config --services`.
const services = {
  web: { image: "web" },
  test_lib: { image: "t", profiles: ["test"] },
  coverage_lib: {
    image: "c",
    profiles: ["test"],
    depends_on: { test_lib: { condition: "service_started", required: true } },
  },
  debug_lib: {
    image: "d",
    profiles: ["debug"],
    depends_on: { test_lib: { condition: "service_started", required: true } },
  },
};

describe("applyProfiles", () => {
  it("enables only services without profiles when no profile is active", () => {
    expect(applyProfiles(services, { profiles: [] })).toEqual({
      enabled: ["web"],
      disabled: ["test_lib", "coverage_lib", "debug_lib"],
    });
  });

  it("enables the services of an active profile", () => {
    expect(applyProfiles(services, { profiles: ["test"] })).toEqual({
      enabled: ["web", "test_lib", "coverage_lib"],
      disabled: ["debug_lib"],
    });
  });

  it("does not pull in dependencies of services enabled by a profile, like compose", () => {
    // `compose-reference --profile debug config` prints web and debug_lib; the spec calls this model
    // invalid, which is for the reference check to report, not for profiles to repair.
    expect(applyProfiles(services, { profiles: ["debug"] }).enabled).toEqual(["web", "debug_lib"]);
  });

  it("enables everything with *", () => {
    expect(applyProfiles(services, { profiles: ["*"] }).disabled).toEqual([]);
  });

  it("enables a requested service and activates its profiles", () => {
    const out = applyProfiles(
      { ...services, other_test: { image: "o", profiles: ["test", "x"] } },
      { profiles: [], requested: ["test_lib"] },
    );
    expect(out).toEqual({
      enabled: ["web", "test_lib", "coverage_lib", "other_test"],
      disabled: ["debug_lib"],
    });
  });

  it("enables the dependencies of a requested service, transitively and of every kind", () => {
    const out = applyProfiles(
      {
        app: {
          profiles: ["a"],
          depends_on: {
            db: { condition: "service_started", required: true },
            opt: { condition: "service_started", required: false },
          },
          links: ["cache:c"],
          volumes_from: ["data:ro", "container:raw"],
          network_mode: "service:net",
        },
        db: { profiles: ["b"], ipc: "service:shm" },
        shm: { profiles: ["b"], pid: "service:pids" },
        pids: { profiles: ["c"] },
        cache: { profiles: ["b"] },
        data: { profiles: ["b"] },
        net: { profiles: ["b"] },
        opt: { profiles: ["b"] },
        raw: { profiles: ["b"] },
      },
      { profiles: [], requested: ["app"] },
    );
    expect(out).toEqual({
      enabled: ["app", "db", "shm", "pids", "cache", "data", "net"],
      disabled: ["opt", "raw"],
    });
  });

  it("rejects a requested service that does not exist", () => {
    try {
      applyProfiles(services, { profiles: [], requested: ["web", "nope"] });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(NoSuchServiceError);
      expect((err as NoSuchServiceError).code).toBe(ErrorCodes.noSuchService);
      expect((err as NoSuchServiceError).message).toBe("no such service: nope");
    }
  });
});

describe("activeProfiles", () => {
  it("reads COMPOSE_PROFILES when no --profile is given", () => {
    expect(activeProfiles([], { COMPOSE_PROFILES: "debug,test" })).toEqual(["debug", "test"]);
    expect(activeProfiles([], { COMPOSE_PROFILES: "" })).toEqual([]);
    expect(activeProfiles([], {})).toEqual([]);
  });

  it("lets --profile replace COMPOSE_PROFILES", () => {
    // compose-reference: COMPOSE_PROFILES=debug,other --profile x enables neither debug nor other.
    expect(activeProfiles(["x", "y", "x"], { COMPOSE_PROFILES: "debug,other" })).toEqual(["x", "y"]);
  });
});
