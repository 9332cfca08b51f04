import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../errors.js";
import { OverrideTag, ResetTag } from "../tags.js";
import { canonicalizeDocument } from "./index.js";

const locate = (path: readonly (string | number)[]) => ({
  file: "compose.yaml",
  line: path.length,
  column: 1,
});

function service(svc: Record<string, unknown>) {
  const { doc, errors } = canonicalizeDocument({ services: { web: svc } }, locate);
  expect(errors).toEqual([]);
  return (doc.services as Record<string, Record<string, unknown>>).web;
}

describe("canonicalizeDocument", () => {
  it("turns list-or-map fields into maps of strings", () => {
    const web = service({
      environment: ["A=1", "B", "C=x=y"],
      labels: ["tier=web", "flag"],
      sysctls: { "net.core.somaxconn": 1024 },
      annotations: ["a=b"],
    });
    expect(web.environment).toEqual({ A: "1", B: null, C: "x=y" });
    expect(web.labels).toEqual({ tier: "web", flag: "" });
    expect(web.sysctls).toEqual({ "net.core.somaxconn": "1024" });
    expect(web.annotations).toEqual({ a: "b" });
  });

  it("keeps null environment values and stringifies scalars", () => {
    expect(service({ environment: { A: 1, B: true, C: null } }).environment).toEqual({
      A: "1",
      B: "true",
      C: null,
    });
  });

  it("expands depends_on, networks, secrets, configs, build, extends, env_file", () => {
    const web = service({
      depends_on: ["db"],
      networks: ["front", "back"],
      secrets: ["s", { source: "t", target: "/t" }],
      configs: ["c"],
      build: "./app",
      extends: "base",
      env_file: ".env.web",
    });
    expect(web.depends_on).toEqual({ db: { condition: "service_started", required: true } });
    expect(web.networks).toEqual({ front: null, back: null });
    expect(web.secrets).toEqual([{ source: "s" }, { source: "t", target: "/t" }]);
    expect(web.configs).toEqual([{ source: "c" }]);
    expect(web.build).toEqual({ context: "./app" });
    expect(web.extends).toEqual({ service: "base" });
    expect(web.env_file).toEqual([".env.web"]);
  });

  it("defaults required in long depends_on entries", () => {
    expect(service({ depends_on: { db: { condition: "service_healthy" } } }).depends_on).toEqual({
      db: { condition: "service_healthy", required: true },
    });
  });

  it("splits string commands and wraps a string healthcheck test", () => {
    const web = service({ command: "echo 'a b'", entrypoint: "", healthcheck: { test: "curl -f x" } });
    expect(web.command).toEqual(["echo", "a b"]);
    expect(web.entrypoint).toEqual([]);
    expect(web.healthcheck).toEqual({ test: ["CMD-SHELL", "curl -f x"] });
  });

  it("expands ports and volumes and stringifies published ports", () => {
    const web = service({ ports: ["80:80", { target: 443, published: 8443 }], volumes: ["data:/data"] });
    expect(web.ports).toEqual([
      { mode: "ingress", target: 80, published: "80", protocol: "tcp" },
      { target: 443, published: "8443" },
    ]);
    expect(web.volumes).toEqual([{ type: "volume", source: "data", target: "/data", volume: {} }]);
  });

  it("turns extra_hosts maps, ulimits and string lists into their long forms", () => {
    const web = service({
      extra_hosts: { b: "1.1.1.1", a: "2.2.2.2" },
      ulimits: { nproc: 10 },
      dns: "8.8.8.8",
      tmpfs: "/run",
    });
    expect(web.extra_hosts).toEqual(["a:2.2.2.2", "b:1.1.1.1"]);
    expect(web.ulimits).toEqual({ nproc: { single: 10 } });
    expect(web.dns).toEqual(["8.8.8.8"]);
    expect(web.tmpfs).toEqual(["/run"]);
  });

  it("leaves !reset in place and converts what !override holds", () => {
    const reset = new ResetTag();
    const web = service({ ports: reset, environment: new OverrideTag(["A=1"]) });
    expect(web.ports).toBe(reset);
    expect(web.environment).toEqual(new OverrideTag({ A: "1" }));
  });

  it("converts labels of top-level resources", () => {
    const { doc } = canonicalizeDocument(
      { networks: { n: { labels: ["a=b"] } }, volumes: { v: null } },
      locate,
    );
    expect(doc.networks).toEqual({ n: { labels: { a: "b" } } });
    expect(doc.volumes).toEqual({ v: null });
  });

  it("reports every malformed short value, located, and keeps going", () => {
    const { errors } = canonicalizeDocument(
      {
        services: {
          web: { ports: ["80", "80:80:tcp"], volumes: ["vol:/b:ro:extra"] },
          api: { command: "echo 'unterminated" },
        },
      },
      locate,
    );
    expect(errors.map((e) => e.code)).toEqual([
      ErrorCodes.invalidValue,
      ErrorCodes.invalidValue,
      ErrorCodes.invalidValue,
    ]);
    expect(errors[0]?.message).toBe(
      'compose.yaml:4:1: services.web.ports[1]: "80:80:tcp" is not a valid port mapping: invalid IP address "80"',
    );
    expect(errors[1]?.message).toContain(
      'services.web.volumes[0]: "vol:/b:ro:extra" is not a valid volume specification',
    );
    expect(errors[2]?.message).toContain("services.api.command");
    expect(errors[0]?.location).toEqual({ file: "compose.yaml", line: 4, column: 1 });
  });
});
