import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EntryLocator } from "../entry-locator.js";
import { ComposeErrors, ErrorCodes } from "../errors.js";
import { type SourceFile, hasPath } from "../source.js";
import { normalizeProject } from "./index.js";
import { resolveDocumentPaths, resolveFirstSymlink } from "./paths.js";

type Doc = Record<string, unknown>;

/** A source file that locates each path at line = its depth, enough to tell where an error points. */
function fakeFile(data: Doc): SourceFile {
  return {
    path: "/p/compose.yaml",
    data,
    locate: (path) => ({ file: "/p/compose.yaml", line: hasPath(data, path) ? path.length : 0, column: 1 }),
  };
}

function normalize(
  doc: Doc,
  opts: { env?: Record<string, string>; files?: Record<string, string>; disabled?: Record<string, Doc> } = {},
) {
  const locator = new EntryLocator();
  locator.addFile(fakeFile(doc));
  return normalizeProject(doc, {
    name: "demo",
    workingDir: "/p",
    configFiles: ["/p/compose.yaml"],
    profiles: [],
    environment: opts.env ?? {},
    disabledServices: opts.disabled ?? {},
    locator,
    readEnvFile: (file) => {
      const content = opts.files?.[file];
      if (content === undefined) throw new Error("ENOENT");
      return content;
    },
  });
}

function errorsOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (err instanceof ComposeErrors) return err.errors;
    throw err;
  }
  throw new Error("expected ComposeErrors");
}

describe("normalizeProject", () => {
  it("attaches services without networks to the default network and names it", () => {
    const p = normalize({ services: { a: { image: "x" }, b: { image: "x", network_mode: "host" } } });
    expect(p.services.a?.networks).toEqual({ default: null });
    expect(p.services.b?.networks).toBeUndefined();
    expect(p.networks).toEqual({ default: { name: "demo_default" } });
  });

  it("leaves out the default network when nobody uses it, and unused resources", () => {
    const p = normalize({
      services: {
        a: {
          image: "x",
          networks: { front: null },
          volumes: [{ type: "volume", source: "data", target: "/d" }],
        },
      },
      networks: { front: null, unused: null },
      volumes: { data: null, spare: null },
      secrets: { s: { file: "/p/s" } },
    });
    expect(Object.keys(p.networks)).toEqual(["front"]);
    expect(p.volumes).toEqual({ data: { name: "demo_data" } });
    expect(p.secrets).toEqual({});
  });

  it("names resources: name wins, external keeps its key, legacy external.name moves to name", () => {
    const p = normalize({
      services: { a: { image: "x", networks: { n1: null, n2: null, n3: null } } },
      networks: { n1: { name: "custom" }, n2: { external: true }, n3: { external: { name: "legacy" } } },
    });
    expect(p.networks).toEqual({
      n1: { name: "custom" },
      n2: { name: "n2", external: true },
      n3: { name: "legacy", external: true },
    });
  });

  it("applies compose's service defaults", () => {
    const p = normalize(
      {
        services: {
          a: {
            build: { context: "/p/app" },
            pull_policy: "if_not_present",
            scale: 3,
            environment: { FROM_ENV: null, UNSET: null, SET: "v" },
            stop_grace_period: "90s",
            mem_limit: "1g",
            healthcheck: { test: ["CMD", "true"], interval: "1500ms" },
          },
        },
      },
      { env: { FROM_ENV: "resolved" } },
    );
    const a = p.services.a;
    expect(a?.build).toEqual({ context: "/p/app", dockerfile: "Dockerfile" });
    expect(a?.pull_policy).toBe("missing");
    expect(a?.deploy?.replicas).toBe(3);
    expect(a?.environment).toEqual({ FROM_ENV: "resolved", UNSET: null, SET: "v" });
    expect(a?.stop_grace_period).toBe("1m30s");
    expect(a?.mem_limit).toBe(1073741824);
    expect(a?.healthcheck?.interval).toBe("1.5s");
    expect(a?.name).toBe("a");
  });

  it("infers dependencies from links, volumes_from and service: namespaces", () => {
    const p = normalize({
      services: {
        db: { image: "x" },
        data: { image: "x" },
        app: {
          image: "x",
          links: ["db:database"],
          volumes_from: ["data:ro", "container:c"],
          ipc: "service:db",
        },
      },
    });
    expect(p.services.app?.depends_on).toEqual({
      db: { condition: "service_started", restart: true, required: true },
      data: { condition: "service_started", required: true },
    });
  });

  it("merges env_file variables under the service's environment, and drops env_file", () => {
    const p = normalize(
      {
        services: {
          a: { image: "x", env_file: ["/p/a.env", "/p/b.env"], environment: { OWN: "mine", B: "own" } },
        },
      },
      {
        env: { HOST: "h" },
        files: { "/p/a.env": "A=1\nB=from-a\nC=${HOST}\n", "/p/b.env": "D=${A}-2\nOWN=file\n" },
      },
    );
    expect(p.services.a?.environment).toEqual({ A: "1", B: "own", C: "h", D: "1-2", OWN: "mine" });
    expect(p.services.a?.env_file).toBeUndefined();
  });

  it("skips a missing env file marked required: false", () => {
    const doc = {
      services: {
        a: { image: "x", env_file: [{ path: "/p/opt.env", required: false }, { path: "/p/a.env" }] },
      },
    };
    const p = normalize(doc, { files: { "/p/a.env": "A=1\n" } });
    expect(p.services.a?.environment).toEqual({ A: "1" });
  });

  it("leaves environment out when the env files hold no variable, as compose does", () => {
    const doc = {
      services: {
        a: { image: "x", env_file: ["/p/empty.env", { path: "/p/opt.env", required: false }] },
        b: { image: "x", env_file: ["/p/empty.env"], environment: { OWN: "1" } },
      },
    };
    const p = normalize(doc, { files: { "/p/empty.env": "# nothing\n" } });
    expect(p.services.a).not.toHaveProperty("environment");
    expect(p.services.b?.environment).toEqual({ OWN: "1" });
  });

  it("reports a missing env file at the reference", () => {
    const doc = { services: { a: { image: "x", env_file: ["/p/missing.env"] } } };
    expect(() => normalize(doc)).toThrow(/env file \/p\/missing.env not found/);
  });

  it("reports every undefined reference, located where it is written", () => {
    const errors = errorsOf(() =>
      normalize({
        services: {
          a: {
            image: "x",
            networks: { ghost: null },
            volumes: [{ type: "volume", source: "nowhere", target: "/d" }],
            secrets: [{ source: "s" }],
            configs: [{ source: "c" }],
            depends_on: { missing: { condition: "service_started", required: true } },
          },
        },
      }),
    );
    expect(errors.map((e) => e.code)).toEqual(Array(5).fill(ErrorCodes.reference));
    expect(errors.map((e) => e.message.replace(/^\S+: /, ""))).toEqual([
      'service "a" refers to undefined network ghost',
      'service "a" refers to undefined volume nowhere',
      'service "a" refers to undefined secret s',
      'service "a" refers to undefined config c',
      'service "a" depends on undefined service missing',
    ]);
    expect(errors[0]?.location).toEqual({ file: "/p/compose.yaml", line: 4, column: 1 });
  });

  it("checks disabled services too but does not count them as users of resources", () => {
    const disabled = {
      tool: { image: "x", profiles: ["tools"], volumes: [{ type: "volume", source: "v", target: "/v" }] },
    };
    const p = normalize({ services: { a: { image: "x" } }, volumes: { v: null } }, { disabled });
    expect(p.volumes).toEqual({});
    expect(Object.keys(p.disabledServices)).toEqual(["tool"]);
  });

  it("rejects durations and sizes compose cannot read", () => {
    const errors = errorsOf(() =>
      normalize({ services: { a: { image: "x", stop_grace_period: "10", shm_size: "1x" } } }),
    );
    expect(errors.map((e) => e.message.replace(/^\S+: /, ""))).toEqual([
      'services.a.shm_size: "1x" is not a valid byte size',
      'services.a.stop_grace_period: "10" is not a valid duration',
    ]);
  });

  it("keeps x- keys as extensions", () => {
    const p = normalize({ services: { a: { image: "x", "x-note": 1 } }, "x-top": true });
    expect(p.services.a?.extensions).toEqual({ "x-note": 1 });
    expect(p.extensions).toEqual({ "x-top": true });
  });
});

describe("resolveDocumentPaths", () => {
  it("resolves project-relative paths and leaves remote contexts and dockerfile alone", () => {
    const doc = resolveDocumentPaths(
      {
        services: {
          a: {
            build: {
              context: "./app",
              dockerfile: "Dockerfile.dev",
              additional_contexts: { img: "docker-image://x", dir: "../lib" },
            },
            env_file: ["./a.env", { path: "./b.env", required: false }],
            volumes: [
              { type: "bind", source: "./src", target: "/src" },
              { type: "bind", source: "~/cache", target: "/cache" },
              { type: "volume", source: "data", target: "/data" },
            ],
          },
          b: { build: { context: "https://github.com/x/y.git" } },
        },
        secrets: { s: { file: "./s.txt" } },
        volumes: { v: { driver: "local", driver_opts: { o: "bind", device: "./dev" } } },
      },
      "/p",
      "/home/me",
    );
    const a = (doc.services as Record<string, Doc>).a as Doc;
    expect(a.build).toEqual({
      context: "/p/app",
      dockerfile: "Dockerfile.dev",
      additional_contexts: { img: "docker-image://x", dir: "/lib" },
    });
    expect(a.env_file).toEqual(["/p/a.env", { path: "/p/b.env", required: false }]);
    expect((a.volumes as Doc[]).map((v) => v.source)).toEqual(["/p/src", "/home/me/cache", "data"]);
    expect(((doc.services as Record<string, Doc>).b as Doc).build).toEqual({
      context: "https://github.com/x/y.git",
    });
    expect(doc.secrets).toEqual({ s: { file: "/p/s.txt" } });
    expect(doc.volumes).toEqual({ v: { driver: "local", driver_opts: { o: "bind", device: "/p/dev" } } });
  });
});

describe("resolveFirstSymlink", () => {
  it("resolves the first symbolic link of a watched path, as compose-go v2 does", () => {
    const dir = realpathSync(mkdtempSync(path.join(tmpdir(), "berth-watch-")));
    try {
      mkdirSync(path.join(dir, "real", "src"), { recursive: true });
      symlinkSync(path.join(dir, "real"), path.join(dir, "link"));
      expect(resolveFirstSymlink(path.join(dir, "link", "src"))).toBe(path.join(dir, "real", "src"));
      expect(resolveFirstSymlink(path.join(dir, "real", "src"))).toBe(path.join(dir, "real", "src"));
      // Not there (yet): kept as written.
      expect(resolveFirstSymlink(path.join(dir, "missing", "x"))).toBe(path.join(dir, "missing", "x"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
