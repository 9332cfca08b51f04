import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BERTH_BIN, runBerth, tempProject } from "./e2e/harness.js";

const COMPOSE = `services:
  web:
    image: berth-examples/busybox:latest
    ports: ["8080:80"]
    volumes: [data:/data]
  worker:
    image: berth-examples/busybox:latest
    profiles: [jobs]
volumes:
  data: {}
`;

const BROKEN = `services:
  web:
    image: berth-examples/busybox:latest
    ports:
      - "8080:80"
    restart: 12
    bogus_key: 1
`;

describe("berth CLI (no engine)", () => {
  let project: { dir: string; cleanup: () => void };
  let broken: { dir: string; cleanup: () => void };
  beforeAll(() => {
    project = tempProject({ "compose.yaml": COMPOSE });
    broken = tempProject({ "compose.yaml": BROKEN });
  });
  afterAll(() => {
    project.cleanup();
    broken.cleanup();
  });

  it("prints its version", async () => {
    const r = await runBerth(["version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Berth version v\d+\.\d+\.\d+\n$/);
    expect((await runBerth(["version", "--short"])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(JSON.parse((await runBerth(["version", "--format", "json"])).stdout).version).toMatch(/^v/);
  });

  it("lists every command and global flag in help", async () => {
    const r = await runBerth(["help"]);
    expect(r.code).toBe(0);
    for (const word of [
      "up",
      "down",
      "ps",
      "logs",
      "config",
      "exec",
      "run",
      "--project-name",
      "--progress",
      "--env-file",
    ]) {
      expect(r.stdout).toContain(word);
    }
    const up = await runBerth(["up", "--help"]);
    expect(up.code).toBe(0);
    for (const flag of [
      "--detach",
      "--exit-code-from",
      "--no-attach <service>",
      "--scale",
      "--dry-run",
      "--file",
    ]) {
      expect(up.stdout).toContain(flag);
    }
  });

  it("exits 2 on usage errors", async () => {
    const flag = await runBerth(["up", "--bogus"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("error: unknown option '--bogus'");
    expect((await runBerth(["frobnicate"])).code).toBe(2);
    expect((await runBerth(["--progress", "fancy", "version"])).code).toBe(2);
    const ansi = await runBerth(["version"], { env: { COMPOSE_ANSI: "sometimes" } });
    expect(ansi.code).toBe(2);
    expect(ansi.stderr).toMatch(/^error: invalid value "sometimes" for --ansi/);
  });

  it("prints the resolved project as YAML or JSON", async () => {
    const yaml = await runBerth(["config"], { cwd: project.dir });
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toContain("services:");
    expect(yaml.stdout).toContain("target: 80");
    const json = await runBerth(["config", "--format", "json"], { cwd: project.dir });
    expect(JSON.parse(json.stdout).services.web.image).toBe("berth-examples/busybox:latest");
  });

  it("lists services, volumes and profiles and validates quietly", async () => {
    const cwd = project.dir;
    expect((await runBerth(["config", "--services"], { cwd })).stdout).toBe("web\n");
    expect(
      (await runBerth(["--profile", "jobs", "config", "--services"], { cwd })).stdout.split("\n").sort(),
    ).toEqual(["", "web", "worker"]);
    expect((await runBerth(["config", "--volumes"], { cwd })).stdout).toBe("data\n");
    expect((await runBerth(["config", "--profiles"], { cwd })).stdout).toBe("jobs\n");
    const quiet = await runBerth(["config", "-q"], { cwd });
    expect(quiet).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("passes files, env files, names and profiles from flags and COMPOSE_* variables to the loader", async () => {
    const vars = tempProject({
      "other.yaml": "services:\n  app:\n    image: ${IMAGE}\n    profiles: [extra]\n",
      "custom.env": "IMAGE=from-env-file\n",
    });
    try {
      const cwd = vars.dir;
      const flags = await runBerth(
        [
          "-f",
          "other.yaml",
          "--env-file",
          "custom.env",
          "--profile",
          "extra",
          "-p",
          "named",
          "config",
          "--format",
          "json",
        ],
        { cwd },
      );
      expect(flags.code).toBe(0);
      expect(JSON.parse(flags.stdout)).toMatchObject({
        name: "named",
        services: { app: { image: "from-env-file" } },
      });
      const env = await runBerth(["--env-file", "custom.env", "config", "--format", "json"], {
        cwd,
        env: { COMPOSE_FILE: "other.yaml", COMPOSE_PROJECT_NAME: "fromenv", COMPOSE_PROFILES: "extra" },
      });
      expect(JSON.parse(env.stdout)).toMatchObject({
        name: "fromenv",
        services: { app: { image: "from-env-file" } },
      });
      const raw = await runBerth(["-f", "other.yaml", "--profile", "extra", "config", "--no-interpolate"], {
        cwd,
      });
      // Left as written; the renderer may escape the dollar ($$) so the output stays loadable.
      expect(raw.stdout).toMatch(/image: \$?\$\{IMAGE\}/);
      const out = await runBerth(
        ["-f", "other.yaml", "--env-file", "custom.env", "config", "--images", "-o", "images.txt"],
        {
          cwd,
          env: { COMPOSE_PROFILES: "extra" },
        },
      );
      expect(out).toMatchObject({ code: 0, stdout: "" });
      expect(readFileSync(path.join(cwd, "images.txt"), "utf8")).toBe("from-env-file\n");
    } finally {
      vars.cleanup();
    }
  });

  it("reads the compose file from stdin with -f -", async () => {
    const r = await runBerth(["-f", "-", "-p", "fromstdin", "config", "--services"], {
      cwd: project.dir,
      input: COMPOSE,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("web\n");
  });

  it("reports loader errors as file:line:col, one per line, without a stack", async () => {
    const r = await runBerth(["config"], { cwd: broken.dir });
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^error: /);
    expect(r.stderr).toMatch(/compose\.yaml:\d+:\d+: /);
    expect(r.stderr).not.toContain("    at ");
    const debug = await runBerth(["config"], { cwd: broken.dir, env: { BERTH_DEBUG: "1" } });
    expect(debug.stderr).toContain("    at ");
  });

  it("reports a dependency cycle, naming it as up does, instead of printing the project", async () => {
    // links and volumes_from count as dependencies, as in compose's loader.
    const cyclic = tempProject({
      "compose.yaml":
        "services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    links: [c]\n" +
        "  c:\n    image: x\n    volumes_from: [a]\n  d:\n    image: x\n",
    });
    try {
      for (const args of [["config"], ["config", "-q"], ["config", "--format", "json"]]) {
        const r = await runBerth(args, { cwd: cyclic.dir });
        expect(r.code).toBe(1);
        expect(r.stdout).toBe("");
        expect(r.stderr).toBe("error: dependency cycle: a -> b -> c -> a\n");
      }
    } finally {
      cyclic.cleanup();
    }
  });

  it("ends quietly with 141, as docker compose, when the reader of its output goes away", async () => {
    // More output than a pipe holds, so that berth is still writing when the reader closes.
    const note = "x".repeat(2000);
    const services = Array.from(
      { length: 400 },
      (_, i) => `  s${i}:\n    image: busybox\n    labels: {i: "${i}", note: ${note}}\n`,
    );
    const big = tempProject({ "compose.yaml": `services:\n${services.join("")}` });
    try {
      const child = spawn(process.execPath, ["--", BERTH_BIN, "config"], { cwd: big.dir });
      let stderr = "";
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      // Like `| head -1`: read one chunk, then close the pipe.
      child.stdout.once("data", () => child.stdout.destroy());
      const code = await new Promise((resolve) => child.on("close", resolve));
      expect(code).toBe(141);
      expect(stderr).toBe("");
    } finally {
      big.cleanup();
    }
  });

  it("says what to do when there is no compose file", async () => {
    const empty = tempProject({});
    try {
      const r = await runBerth(["config"], { cwd: empty.dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: /);
    } finally {
      empty.cleanup();
    }
  });
});
