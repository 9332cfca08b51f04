import { execFileSync, spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ComposeErrors, ErrorCodes } from "./errors.js";
import { loadProject } from "./load.js";
import { useTempProjects } from "./temp-project.test-helpers.js";

const project = useTempProjects("load");

async function loadErrors(opts: Parameters<typeof loadProject>[0]) {
  try {
    await loadProject(opts);
  } catch (err) {
    if (err instanceof ComposeErrors) return err.errors;
    throw err;
  }
  throw new Error("expected the load to fail");
}

describe("loadProject", () => {
  it("loads compose.yaml and its override from the working directory", async () => {
    const dir = project({
      "compose.yaml": "services:\n  web:\n    image: nginx\n    ports: ['8080:80']\n",
      "compose.override.yaml": "services:\n  web:\n    environment: [DEBUG=1]\n",
    });
    const p = await loadProject({ cwd: dir, env: {} });
    expect(p.name).toBe(
      path
        .basename(dir)
        .toLowerCase()
        .replace(/[^a-z0-9_-]/g, ""),
    );
    expect(p.workingDir).toBe(dir);
    expect(p.configFiles).toEqual([path.join(dir, "compose.yaml"), path.join(dir, "compose.override.yaml")]);
    expect(p.services.web?.environment).toEqual({ DEBUG: "1" });
    expect(p.services.web?.ports).toEqual([
      { mode: "ingress", target: 80, published: "8080", protocol: "tcp" },
    ]);
    expect(p.networks.default?.name).toBe(`${p.name}_default`);
  });

  it("reports the faults of every file at once, each located in its file", async () => {
    const dir = project({
      "a.yaml": "services:\n  web:\n    image: nginx\n    ports:\n      - '80:80:tcp'\n",
      "b.yaml": "services:\n  api:\n    image: api\n    volumes:\n      - 'x:/a:/b:/c'\n",
    });
    const errors = await loadErrors({ cwd: dir, files: ["a.yaml", "b.yaml"], env: {} });
    expect(errors).toHaveLength(2);
    expect(errors[0]?.location).toMatchObject({ file: path.join(dir, "a.yaml"), line: 5 });
    expect(errors[1]?.location).toMatchObject({ file: path.join(dir, "b.yaml"), line: 5 });
  });

  it("locates an undefined reference in the file that wrote it", async () => {
    const dir = project({
      "compose.yaml": "services:\n  web:\n    image: nginx\n",
      "extra.yaml": "services:\n  web:\n    networks:\n      - ghost\n",
    });
    const errors = await loadErrors({ cwd: dir, files: ["compose.yaml", "extra.yaml"], env: {} });
    expect(errors.map((e) => e.message)).toEqual([
      `${path.join(dir, "extra.yaml")}:4:9: service "web" refers to undefined network ghost`,
    ]);
    expect(errors[0]?.code).toBe(ErrorCodes.reference);
  });

  it("sends warnings to onWarning and interpolates from .env and the environment", async () => {
    const dir = project({
      "compose.yaml":
        "services:\n  web:\n    image: ${IMAGE}:${TAG}\n    environment:\n      MISSING: ${NOPE}\n",
      ".env": "IMAGE=nginx\nTAG=from-dotenv\n",
    });
    const warnings: string[] = [];
    const p = await loadProject({ cwd: dir, env: { TAG: "from-env" }, onWarning: (w) => warnings.push(w) });
    expect(p.services.web?.image).toBe("nginx:from-env");
    expect(p.services.web?.environment).toEqual({ MISSING: "" });
    expect(warnings.join("\n")).toContain('"NOPE" variable is not set');
  });

  it("keeps variables as written with interpolate: false", async () => {
    const dir = project({ "compose.yaml": "services:\n  web:\n    image: ${IMAGE:-nginx}\n" });
    const p = await loadProject({ cwd: dir, env: {}, interpolate: false });
    expect(p.services.web?.image).toBe("${IMAGE:-nginx}");
  });

  it("reads '-' from stdin", async () => {
    const dir = project({});
    const p = await loadProject({
      cwd: dir,
      files: ["-"],
      stdin: "services:\n  s:\n    image: busybox\n",
      env: {},
      projectName: "piped",
    });
    expect(p.name).toBe("piped");
    expect(Object.keys(p.services)).toEqual(["s"]);
  });

  it("reads each file once: a named pipe (`-f <(cmd)`) gives its name and services from one read", async () => {
    const dir = project({});
    const fifo = path.join(dir, "compose.fifo");
    execFileSync("mkfifo", [fifo]);
    // Each open of the pipe reads what the writer writes next: a second read of the file gets the other
    // service (written a second later, so that the first read has ended; without a writer it would block).
    const writer = spawn("sh", [
      "-c",
      'printf "name: piped\\nservices:\\n  first:\\n    image: busybox\\n" > "$0"; sleep 1; ' +
        'printf "services:\\n  second:\\n    image: busybox\\n" > "$0"',
      fifo,
    ]);
    try {
      const p = await loadProject({ cwd: dir, files: [fifo], env: {} });
      expect(p.name).toBe("piped");
      expect(Object.keys(p.services)).toEqual(["first"]);
    } finally {
      writer.kill();
    }
  });

  it("enables profiles; named services narrow the project to them and their dependencies", async () => {
    const dir = project({
      "compose.yaml":
        "services:\n  app:\n    image: a\n  debug:\n    image: d\n    profiles: [debug]\n  tool:\n    image: t\n    profiles: [tools]\n",
    });
    const p = await loadProject({ cwd: dir, env: {}, profiles: ["debug"] });
    expect(Object.keys(p.services)).toEqual(["app", "debug"]);
    expect(Object.keys(p.disabledServices)).toEqual(["tool"]);
    const q = await loadProject({ cwd: dir, env: {}, services: ["tool"] });
    expect(Object.keys(q.services)).toEqual(["tool"]);
    expect(Object.keys(q.disabledServices).sort()).toEqual(["app", "debug"]);
  });

  it("resolves extends across files with paths relative to the file that wrote them", async () => {
    const dir = project({
      "compose.yaml": "services:\n  web:\n    extends:\n      file: base/common.yaml\n      service: base\n",
      "base/common.yaml":
        "services:\n  base:\n    image: nginx\n    volumes: ['./html:/usr/share/nginx/html']\n",
    });
    const p = await loadProject({ cwd: dir, env: {} });
    expect(p.services.web?.volumes?.[0]?.source).toBe(path.join(dir, "base", "html"));
  });

  it("locates faults of extended and included services in the file that wrote them", async () => {
    const dir = project({
      "compose.yaml":
        "include:\n  - sub/compose.yaml\nservices:\n  web:\n    extends:\n      file: base.yaml\n      service: web\n    networks:\n      - ghost\n",
      "base.yaml": "services:\n  web:\n    image: nginx\n    networks:\n      - phantom\n",
      "sub/compose.yaml": "services:\n  worker:\n    image: busybox\n    volumes:\n      - nowhere:/data\n",
    });
    const errors = await loadErrors({ cwd: dir, env: {} });
    expect(errors.map((e) => e.message).sort()).toEqual([
      `${path.join(dir, "base.yaml")}:5:9: service "web" refers to undefined network phantom`,
      `${path.join(dir, "compose.yaml")}:9:9: service "web" refers to undefined network ghost`,
      `${path.join(dir, "sub", "compose.yaml")}:5:9: service "worker" refers to undefined volume nowhere`,
    ]);
  });

  it("throws ComposeErrors also for a fault a stage reports alone", async () => {
    const dir = project({ "compose.yaml": "services:\n  web:\n    extends: nowhere\n" });
    const errors = await loadErrors({ cwd: dir, env: {} });
    expect(errors.map((e) => e.code)).toEqual([ErrorCodes.extends]);
  });

  it("honours !reset and !override from a later file", async () => {
    const dir = project({
      "compose.yaml":
        "services:\n  web:\n    image: nginx\n    ports: ['80:80']\n    environment: [A=1, B=2]\n",
      "compose.override.yaml":
        "services:\n  web:\n    ports: !reset []\n    environment: !override\n      C: '3'\n",
    });
    const p = await loadProject({ cwd: dir, env: {} });
    expect(p.services.web?.ports).toBeUndefined();
    expect(p.services.web?.environment).toEqual({ C: "3" });
  });

  it("applies !reset and !override of an extending service to what it inherits, in the same file", async () => {
    const dir = project({
      "compose.yaml":
        "services:\n  base:\n    image: nginx\n    ports: ['80:80']\n    environment: [A=1]\n" +
        "  web:\n    extends: base\n    ports: !reset []\n    environment: !override\n      B: '2'\n",
    });
    const p = await loadProject({ cwd: dir, env: {} });
    expect(p.services.web?.ports).toBeUndefined();
    expect(p.services.web?.environment).toEqual({ B: "2" });
    expect(p.services.base?.ports).toHaveLength(1);
  });

  it("applies !reset of an extending service to what it inherits from another file", async () => {
    const dir = project({
      "compose.yaml":
        "services:\n  web:\n    extends:\n      file: base.yaml\n      service: base\n    volumes: !reset []\n",
      "base.yaml": "services:\n  base:\n    image: nginx\n    volumes: ['./html:/html']\n",
    });
    const p = await loadProject({ cwd: dir, env: {} });
    expect(p.services.web?.image).toBe("nginx");
    expect(p.services.web?.volumes).toBeUndefined();
  });

  it("lets the !reset of an extending service in a later file drop the earlier files' value too", async () => {
    // compose v2.23: the extends of each file is resolved first, then `!reset` applies to the merged model.
    const dir = project({
      "compose.yaml": "services:\n  web:\n    image: x\n    ports: ['81:81']\n",
      "compose.override.yaml":
        "services:\n  base:\n    image: b\n    ports: ['80:80']\n  web:\n    extends: base\n    ports: !reset []\n",
    });
    const p = await loadProject({ cwd: dir, env: {} });
    expect(p.services.web?.image).toBe("b");
    expect(p.services.web?.ports).toBeUndefined();
  });

  it("looks for the base of an extends without file in the extending service's own file, as compose does", async () => {
    const dir = project({
      "compose.yaml": "services:\n  base:\n    image: x\n",
      "compose.override.yaml": "services:\n  web:\n    extends: base\n",
    });
    const errors = await loadErrors({ cwd: dir, env: {} });
    expect(errors.map((e) => e.message)).toEqual([
      `${path.join(dir, "compose.override.yaml")}:3:14: service "web" extends "base", which is not defined in ${path.join(dir, "compose.override.yaml")}`,
    ]);
  });

  it("locates a fault of a main service in the main file, not in a base file using the same name", async () => {
    const dir = project({
      "compose.yaml":
        "services:\n  api:\n    extends:\n      file: base.yaml\n      service: web\n" +
        "  web:\n    image: nginx\n    networks:\n      - ghost\n",
      "base.yaml": "services:\n  web:\n    image: busybox\n    networks:\n      - ghost\n",
    });
    const errors = await loadErrors({ cwd: dir, env: {} });
    expect(errors.map((e) => e.message)).toContain(
      `${path.join(dir, "compose.yaml")}:9:9: service "web" refers to undefined network ghost`,
    );
    expect(errors.map((e) => e.message)).toContain(
      `${path.join(dir, "base.yaml")}:5:9: service "api" refers to undefined network ghost`,
    );
  });

  it("loads the documents of a `---` stream in order, like several files", async () => {
    const dir = project({
      "compose.yaml":
        "services:\n  a:\n    image: x\n    environment: [A=1]\n---\nservices:\n  a:\n    environment: [B=2]\n" +
        "  b:\n    image: y\n    networks: [ghost]\n",
    });
    const errors = await loadErrors({ cwd: dir, env: {} });
    expect(errors.map((e) => e.message)).toEqual([
      `${path.join(dir, "compose.yaml")}:11:16: service "b" refers to undefined network ghost`,
    ]);
    const fixed = project({
      "compose.yaml": "services:\n  a:\n    image: x\n---\nservices:\n  a:\n    environment: [B=2]\n",
    });
    const p = await loadProject({ cwd: fixed, env: {} });
    expect(p.services.a).toMatchObject({ image: "x", environment: { B: "2" } });
  });

  it("finds the files named by COMPOSE_FILE in the .env, then reads the .env of their directory", async () => {
    const dir = project({
      ".env": "COMPOSE_FILE=sub/x.yaml\nFOO=fromroot\nCOMPOSE_PROFILES=p\nCOMPOSE_PROJECT_NAME=rootname\n",
      "sub/.env": "FOO=fromsub\nBAR=subbar\nCOMPOSE_PROJECT_NAME=subname\n",
      "sub/x.yaml":
        "services:\n  a:\n    image: x-${FOO}-${BAR}\n    container_name: c-${COMPOSE_PROJECT_NAME}\n" +
        "  b:\n    image: b\n    profiles: [p]\n",
    });
    // What compose-reference printed for this project: the .env of sub/ wins, and COMPOSE_PROFILES is read
    // from the environment compose copied that .env into, so the root .env's does not count.
    const p = await loadProject({ cwd: dir, env: {} });
    expect(p.name).toBe("subname");
    expect(p.workingDir).toBe(path.join(dir, "sub"));
    expect(p.services.a).toMatchObject({ image: "x-fromsub-subbar", container_name: "c-subname" });
    expect(Object.keys(p.services)).toEqual(["a"]);
    const q = await loadProject({ cwd: dir, env: { FOO: "proc" } });
    expect(q.services.a?.image).toBe("x-proc-subbar");
  });
});
