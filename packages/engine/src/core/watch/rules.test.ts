import type { ServiceConfig } from "@berth/compose-schema";
import { describe, expect, it } from "vitest";
import { projectOf } from "../../../../../test/helpers/project-of.js";
import { WatchRuleError } from "./errors.js";
import { bindMountOver, watchRules } from "./rules.js";

const rulesOf = (develop: unknown, extra: Partial<ServiceConfig> = {}) => {
  const service = { name: "app", image: "x", develop, ...extra } as ServiceConfig;
  return watchRules(projectOf([service], { workingDir: "/p" }), service);
};

describe("watchRules", () => {
  it("types every action, resolves paths against the project and targets against working_dir", () => {
    const rules = rulesOf(
      {
        watch: [
          { path: "./src", action: "sync", target: "/app/src", ignore: "node_modules/", initial_sync: true },
          { path: "/abs/package.json", action: "rebuild" },
          { path: "conf", action: "sync+restart", target: "etc/", include: ["*.conf"] },
          {
            path: "./src",
            action: "sync+exec",
            target: "/app",
            exec: {
              command: "npm run 'build all'",
              user: "node",
              environment: ["A=1", "B"],
              working_dir: "/w",
            },
          },
        ],
      },
      { working_dir: "/srv", build: { context: "/p" } },
    );
    expect(rules.map((r) => [r.path, r.action, r.target])).toEqual([
      ["/p/src", "sync", "/app/src"],
      ["/abs/package.json", "rebuild", undefined],
      ["/p/conf", "sync+restart", "/srv/etc"],
      ["/p/src", "sync+exec", "/app"],
    ]);
    expect(rules[0]).toMatchObject({ ignore: ["node_modules/"], include: [], initialSync: true });
    expect(rules[2].include).toEqual(["*.conf"]);
    expect(rules[3].exec).toEqual({
      command: ["npm", "run", "build all"],
      user: "node",
      privileged: false,
      workingDir: "/w",
      env: { A: "1" },
    });
  });

  it("has no rules without develop.watch", () => {
    expect(rulesOf(undefined)).toEqual([]);
    expect(rulesOf({})).toEqual([]);
  });

  it("names the service and the rule when a rule cannot work", () => {
    expect(() => rulesOf({ watch: [{ path: "./a", action: "sync" }] })).toThrow(
      new WatchRuleError("app", 0, "target is required for action sync"),
    );
    expect(() =>
      rulesOf({
        watch: [
          { path: "./a", action: "sync", target: "/a" },
          { path: "./b", action: "sync+exec", target: "/b" },
        ],
      }),
    ).toThrow("service app: develop.watch[1]: exec.command is required for action sync+exec");
    expect(() => rulesOf({ watch: [{ path: "./a", action: "rebuild" }] })).toThrow(
      "service app: develop.watch[0]: action rebuild needs a build: section",
    );
    expect(() => rulesOf({ watch: [{ path: "./a", action: "copy" }] })).toThrow(
      /action must be one of sync, rebuild/,
    );
  });
});

describe("bindMountOver", () => {
  it("finds the bind mount that already shows a sync rule's path to the container", () => {
    const service = {
      name: "app",
      image: "x",
      volumes: [
        { type: "volume", source: "data", target: "/data" },
        { type: "bind", source: "./src", target: "/app/src" },
      ],
      develop: {
        watch: [
          { path: "./src/lib", action: "sync", target: "/app/src/lib" },
          { path: "./src", action: "restart" },
          { path: "./srcx", action: "sync", target: "/x" },
        ],
      },
    } as ServiceConfig;
    const project = projectOf([service], { workingDir: "/p" });
    const [inside, restart, beside] = watchRules(project, service);
    expect(bindMountOver(project, service, inside)).toBe("/p/src");
    expect(bindMountOver(project, service, restart)).toBeUndefined();
    expect(bindMountOver(project, service, beside)).toBeUndefined();
  });
});
