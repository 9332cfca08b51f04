import { describe, expect, it } from "vitest";
import { ruleMatcher } from "./match.js";
import { type ChangeKind, planBurst } from "./plan.js";
import type { WatchRule } from "./rules.js";

const rule = (over: Partial<WatchRule>): WatchRule => ({
  service: "app",
  index: 0,
  path: "/p/src",
  action: "sync",
  ignore: [],
  include: [],
  initialSync: false,
  ...over,
});

const changes = (entries: [string, ChangeKind][]) => new Map(entries);
const exec = { command: ["make"], env: {} };

describe("planBurst", () => {
  it("collects one service's copies, removals, exec and restart from all its matching rules", () => {
    const matchers = [
      ruleMatcher(rule({ target: "/app" })),
      ruleMatcher(rule({ index: 1, path: "/p/src/conf", action: "sync+restart", target: "/etc/app" })),
      ruleMatcher(rule({ index: 2, path: "/p/src/gen", action: "sync+exec", target: "/gen", exec })),
    ];
    const [work, ...rest] = planBurst(
      matchers,
      changes([
        ["/p/src/a.js", "write"],
        ["/p/src/old.js", "remove"],
        ["/p/src/conf/x.conf", "write"],
        ["/p/other/b.js", "write"],
      ]),
    );
    expect(rest).toEqual([]);
    expect(work).toMatchObject({
      service: "app",
      rebuild: false,
      restart: true,
      execs: [],
      copies: [
        { hostPath: "/p/src/a.js", containerPath: "/app/a.js" },
        { hostPath: "/p/src/conf/x.conf", containerPath: "/app/conf/x.conf" },
        { hostPath: "/p/src/conf/x.conf", containerPath: "/etc/app/x.conf" },
      ],
      removes: ["/app/old.js"],
    });
    const [withExec] = planBurst(matchers, changes([["/p/src/gen/out.txt", "write"]]));
    expect(withExec.execs).toEqual([exec]);
    expect(withExec.restart).toBe(false);
  });

  it("a rebuild replaces the rest of the service's work; other services keep theirs", () => {
    const matchers = [
      ruleMatcher(rule({ target: "/app" })),
      ruleMatcher(rule({ index: 1, path: "/p/package.json", action: "rebuild" })),
      ruleMatcher(rule({ service: "web", target: "/site" })),
    ];
    const works = planBurst(
      matchers,
      changes([
        ["/p/src/a.js", "write"],
        ["/p/package.json", "write"],
      ]),
    );
    expect(works.map((w) => [w.service, w.rebuild, w.copies.length])).toEqual([
      ["app", true, 0],
      ["web", false, 1],
    ]);
  });

  it("has no work when nothing matches", () => {
    expect(
      planBurst(
        [ruleMatcher(rule({ target: "/app", ignore: ["*.tmp"] }))],
        changes([
          ["/p/src/x.tmp", "write"],
          ["/p/src/.x.swp", "write"],
        ]),
      ),
    ).toEqual([]);
  });
});
