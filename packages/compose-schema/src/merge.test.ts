import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { canonicalizeDocument } from "./canonical/index.js";
import { mergeDocuments, mergeService, stripTags } from "./merge.js";
import { parseComposeFile } from "./parse.js";
import { OverrideTag, ResetTag } from "./tags.js";

// Expectations were checked with `compose-reference -f a.yaml -f b.yaml config` on the same values in
// short syntax, unless a comment says that we follow the spec instead.
const web = (doc: Record<string, unknown>) => (doc.services as Record<string, Record<string, unknown>>).web;

function mergeWeb(a: Record<string, unknown>, b: Record<string, unknown>) {
  return web(mergeDocuments({ services: { web: a } }, { services: { web: b } }));
}

describe("mergeDocuments", () => {
  it("merges mappings recursively, the later file winning for scalars", () => {
    const out = mergeDocuments(
      {
        name: "a",
        services: { web: { image: "a", build: { context: ".", dockerfile: "D1", args: { X: "1" } } } },
      },
      { name: "b", services: { web: { image: "b", build: { args: { Y: "2" } } }, db: { image: "db" } } },
    );
    expect(out).toEqual({
      name: "b",
      services: {
        web: { image: "b", build: { context: ".", dockerfile: "D1", args: { X: "1", Y: "2" } } },
        db: { image: "db" },
      },
    });
  });

  it("merges environment, labels, depends_on, extra_hosts and service networks as maps", () => {
    const out = mergeWeb(
      {
        environment: { A: "1", B: "2" },
        labels: { a: "1" },
        depends_on: { db: { condition: "service_started", required: true } },
        extra_hosts: { h1: "1.1.1.1" },
        networks: { front: { aliases: ["x"] }, back: null },
      },
      {
        environment: { B: "3", C: null },
        labels: { b: "2" },
        depends_on: {
          db: { condition: "service_healthy", required: true },
          cache: { condition: "service_started", required: false },
        },
        extra_hosts: { h2: "2.2.2.2" },
        networks: { front: { aliases: ["y"] }, back: { priority: 5 } },
      },
    );
    expect(out).toEqual({
      environment: { A: "1", B: "3", C: null },
      labels: { a: "1", b: "2" },
      depends_on: {
        db: { condition: "service_healthy", required: true },
        cache: { condition: "service_started", required: false },
      },
      extra_hosts: { h1: "1.1.1.1", h2: "2.2.2.2" },
      networks: { front: { aliases: ["x", "y"] }, back: { priority: 5 } },
    });
  });

  it("keeps an existing definition when a later file lists it without options", () => {
    // `networks: [front]` in b.yaml canonicalizes to `front: null`; compose keeps the aliases.
    const out = mergeWeb({ networks: { front: { aliases: ["x"] } } }, { networks: { front: null } });
    expect(out.networks).toEqual({ front: { aliases: ["x"] } });
  });

  it("replaces command, entrypoint and healthcheck.test instead of appending", () => {
    const out = mergeWeb(
      { command: ["a", "b"], entrypoint: ["/bin/sh"], healthcheck: { test: ["CMD", "a"], interval: "10s" } },
      { command: ["c"], entrypoint: "/bin/bash -c", healthcheck: { test: ["CMD", "b"] } },
    );
    expect(out).toEqual({
      command: ["c"],
      entrypoint: "/bin/bash -c",
      healthcheck: { test: ["CMD", "b"], interval: "10s" },
    });
  });

  it("appends plain sequences without duplicates, keeping their order", () => {
    // compose v2.23 keeps the duplicates (dns: 1.1.1.1, 8.8.8.8, 8.8.8.8, 9.9.9.9); the spec does not.
    const out = mergeWeb(
      {
        dns: ["1.1.1.1", "8.8.8.8"],
        cap_add: ["NET_ADMIN"],
        expose: ["1", "2"],
        tmpfs: ["/t1"],
        env_file: ["a.env"],
        profiles: ["p1"],
      },
      {
        dns: ["8.8.8.8", "9.9.9.9"],
        cap_add: ["NET_ADMIN", "SYS_TIME"],
        expose: ["2", "3"],
        tmpfs: ["/t1", "/t2"],
        env_file: ["b.env", "a.env"],
        profiles: ["p2", "p1"],
      },
    );
    expect(out).toEqual({
      dns: ["1.1.1.1", "8.8.8.8", "9.9.9.9"],
      cap_add: ["NET_ADMIN", "SYS_TIME"],
      expose: ["1", "2", "3"],
      tmpfs: ["/t1", "/t2"],
      env_file: ["a.env", "b.env"],
      profiles: ["p1", "p2"],
    });
  });

  it("merges ports by host_ip, published, target and protocol", () => {
    const p = (target: number, published?: string, extra: Record<string, unknown> = {}) => ({
      target,
      ...(published === undefined ? {} : { published }),
      protocol: "tcp",
      mode: "ingress",
      ...extra,
    });
    const out = mergeWeb(
      { ports: [p(80, "8080"), p(90, "9090", { host_ip: "127.0.0.1", protocol: "udp" }), p(70)] },
      // 8080:80 is the same port (a published number and string are one key); 8081:80 and 80/udp are not.
      {
        ports: [
          { ...p(80, undefined), published: 8080, name: "http" },
          p(80, "8081"),
          p(70),
          p(80, "8080", { protocol: "udp" }),
        ],
      },
    );
    expect(out.ports).toEqual([
      { ...p(80, undefined), published: 8080, name: "http" },
      p(90, "9090", { host_ip: "127.0.0.1", protocol: "udp" }),
      p(70),
      p(80, "8081"),
      p(80, "8080", { protocol: "udp" }),
    ]);
  });

  it("merges volumes by target", () => {
    const out = mergeWeb(
      {
        volumes: [
          { type: "bind", source: "./data", target: "/data", bind: { propagation: "rslave" } },
          { type: "volume", source: "logs", target: "/logs" },
        ],
      },
      {
        volumes: [
          { type: "bind", source: "./other", target: "/data", read_only: true },
          { type: "tmpfs", target: "/tmp" },
        ],
      },
    );
    expect(out.volumes).toEqual([
      { type: "bind", source: "./other", target: "/data", read_only: true, bind: { propagation: "rslave" } },
      { type: "volume", source: "logs", target: "/logs" },
      { type: "tmpfs", target: "/tmp" },
    ]);
  });

  it("merges secrets and configs by target, or by source when there is no target", () => {
    // The spec keys by target; compose v2.23 keys by source and would replace s1 with the /y mount.
    const out = mergeWeb(
      { secrets: [{ source: "s1" }, { source: "s2", target: "/x" }], configs: [{ source: "c1", mode: 292 }] },
      {
        secrets: [
          { source: "s1", target: "/y" },
          { source: "s3", target: "/x" },
        ],
        configs: [{ source: "c1", uid: "1" }],
      },
    );
    expect(out.secrets).toEqual([
      { source: "s1" },
      { source: "s3", target: "/x" },
      { source: "s1", target: "/y" },
    ]);
    expect(out.configs).toEqual([{ source: "c1", mode: 292, uid: "1" }]);
  });

  it("merges logging options for the same driver and replaces them for another driver", () => {
    const base = { logging: { driver: "json-file", options: { "max-size": "1m", "max-file": "3" } } };
    expect(mergeWeb(base, { logging: { options: { "max-size": "2m" } } }).logging).toEqual({
      driver: "json-file",
      options: { "max-size": "2m", "max-file": "3" },
    });
    expect(
      mergeWeb(base, { logging: { driver: "json-file", options: { compress: "true" } } }).logging,
    ).toEqual({
      driver: "json-file",
      options: { "max-size": "1m", "max-file": "3", compress: "true" },
    });
    expect(mergeWeb(base, { logging: { driver: "syslog", options: { tag: "x" } } }).logging).toEqual({
      driver: "syslog",
      options: { tag: "x" },
    });
  });

  it("merges ulimits by name, each limit replaced as a whole", () => {
    const out = mergeWeb(
      { ulimits: { nofile: { soft: 10, hard: 20 }, nproc: 5 } },
      { ulimits: { nofile: 30 } },
    );
    expect(out.ulimits).toEqual({ nofile: 30, nproc: 5 });
  });

  it("merges top-level resources recursively and extensions as maps", () => {
    // compose v2.23 replaces the whole `front` entry (losing the driver); the spec merges mappings.
    const out = mergeDocuments(
      {
        networks: { front: { driver: "bridge", labels: { a: "1" } } },
        volumes: { logs: null },
        "x-foo": { a: 1, b: 2 },
      },
      {
        networks: { front: { labels: { b: "2" } }, back: null },
        volumes: { logs: { driver: "local" } },
        "x-foo": { b: 3 },
      },
    );
    expect(out).toEqual({
      networks: { front: { driver: "bridge", labels: { a: "1", b: "2" } }, back: null },
      volumes: { logs: { driver: "local" } },
      "x-foo": { a: 1, b: 3 },
    });
  });

  it("removes what !reset marks and replaces what !override marks", () => {
    const out = mergeWeb(
      {
        image: "a",
        ports: [{ target: 80, published: "80", protocol: "tcp" }],
        environment: { A: "1", B: "2" },
        dns: ["1.1.1.1"],
        build: { context: ".", args: { X: "1" } },
      },
      {
        ports: new ResetTag(),
        environment: { A: new ResetTag() },
        dns: new OverrideTag(["8.8.8.8"]),
        build: new OverrideTag({ context: "other" }),
      },
    );
    expect(out).toEqual({
      image: "a",
      environment: { B: "2" },
      dns: ["8.8.8.8"],
      build: { context: "other" },
    });
  });

  it("resets whole services and top-level keys", () => {
    const out = mergeDocuments(
      { services: { web: { image: "a" }, db: { image: "d" } }, volumes: { v: null } },
      { services: { db: new ResetTag() }, volumes: new ResetTag() },
    );
    expect(out).toEqual({ services: { web: { image: "a" } } });
  });

  it("replaces a whole service marked !override and keeps one listed without a body", () => {
    const out = mergeDocuments(
      { services: { web: { image: "a", dns: ["1.1.1.1"] }, db: { image: "d" } } },
      { services: { web: new OverrideTag({ image: "b" }), db: null } },
    );
    expect(out).toEqual({ services: { web: { image: "b" }, db: { image: "d" } } });
  });

  it("leaves no tag in the result, also from the first file", () => {
    const out = mergeDocuments(
      { services: { web: { image: "a", dns: new OverrideTag(["1.1.1.1"]), labels: { a: new ResetTag() } } } },
      { services: { db: { image: new OverrideTag("d"), environment: { X: new ResetTag() } } } },
    );
    expect(out).toEqual({
      services: { web: { image: "a", dns: ["1.1.1.1"], labels: {} }, db: { image: "d", environment: {} } },
    });
  });

  it("never modifies its inputs", () => {
    const a = { services: { web: { image: "a", dns: ["1.1.1.1"], environment: { A: "1" } } } };
    const b = { services: { web: { dns: ["8.8.8.8"], environment: { B: "2" } } } };
    const before = JSON.stringify([a, b]);
    const out = mergeDocuments(a, b);
    expect(JSON.stringify([a, b])).toBe(before);
    (web(out).dns as string[]).push("x");
    expect(a.services.web.dns).toEqual(["1.1.1.1"]);
    expect(b.services.web.dns).toEqual(["8.8.8.8"]);
  });
});

describe("mergeService", () => {
  it("applies the same rules to one service definition", () => {
    expect(
      mergeService(
        { image: "a", command: ["x"], labels: { a: "1" } },
        { command: ["y"], labels: { b: "2" } },
      ),
    ).toEqual({
      image: "a",
      command: ["y"],
      labels: { a: "1", b: "2" },
    });
  });
});

describe("stripTags", () => {
  it("unwraps overrides and drops resets at any depth", () => {
    expect(stripTags({ a: [new ResetTag(), 1], b: new OverrideTag({ c: new ResetTag(), d: 2 }) })).toEqual({
      a: [1],
      b: { d: 2 },
    });
  });
});

describe("mergeDocuments on real files", () => {
  const dir = fileURLToPath(new URL("../fixtures/merge/files/", import.meta.url));
  const load = (name: string) => {
    const file = parseComposeFile(`${dir}${name}`, readFileSync(`${dir}${name}`, "utf8"));
    const canonical = canonicalizeDocument(file.data as Record<string, unknown>, (p, w) => file.locate(p, w));
    expect(canonical.errors).toEqual([]);
    return canonical.doc;
  };

  it("merges a.yaml and b.yaml like compose, apart from the documented differences", () => {
    const out = mergeDocuments(load("a.yaml"), load("b.yaml"));
    const w = web(out);
    expect(w.image).toBe("b");
    expect(w.command).toEqual(["c"]);
    expect(w.healthcheck).toEqual({ test: ["CMD", "b"], interval: "10s" });
    expect(w.environment).toEqual({ A: "1", B: "3", C: "4" });
    expect(w.labels).toEqual({ a: "1", b: "2" });
    expect(w.build).toMatchObject({ context: ".", dockerfile: "D1", args: { X: "1", Y: "2" } });
    expect(w.depends_on).toEqual({ db: { condition: "service_healthy", required: true } });
    expect(w.networks).toEqual({ front: { aliases: ["x", "y"] } });
    expect(w.logging).toEqual({ driver: "json-file", options: { "max-size": "2m", "max-file": "3" } });
    expect(w.ulimits).toMatchObject({ nofile: { soft: 11, hard: 30 } });
    expect(w.expose).toEqual(["1", "2", "3"]);
    expect((w.ports as { target: number; published?: string }[]).map((p) => [p.target, p.published])).toEqual(
      [
        [80, "8080"],
        [90, "9090"],
        [70, undefined],
        [80, "8081"],
      ],
    );
    expect(w.volumes).toMatchObject([
      { type: "bind", source: "./other", target: "/data", read_only: true },
      { type: "volume", source: "logs", target: "/logs" },
    ]);
    expect(out["x-foo"]).toEqual({ a: 1, b: 3, c: 4 });
  });

  it("applies !reset and !override written in the later file", () => {
    // compose v2.23 ignores !override (dns: 1.1.1.1, 8.8.8.8); the spec replaces the sequence.
    const w = web(mergeDocuments(load("reset-a.yaml"), load("reset-b.yaml")));
    expect(w).toEqual({ image: "a", environment: { A: "1", B: "2", C: "3" }, dns: ["8.8.8.8"] });
  });
});
