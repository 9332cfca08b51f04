import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leftovers, removeProjectResources, requireDocker, uniqueProject } from "../helpers/docker.js";
import { bigInputs } from "./big-inputs.js";
import { type HostileCase, caseEnv, readCases, timeLimit } from "./cases.js";

/**
 * The real `berth` process (the built bin: run `pnpm build` first) on hostile input: a load error
 * ends with exit 1 within timeLimit() and creates nothing on the engine. An invalid project name is a
 * load error too (exit 1), as in docker compose, not a usage error (2): it can come from the file.
 */
const bin = fileURLToPath(new URL("../../packages/cli/bin/berth.js", import.meta.url));

interface Run {
  code: number | null;
  stderr: string;
  ms: number;
  killed: boolean;
}

function berth(args: string[], cwd: string, env: Record<string, string>, killAfterMs: number): Promise<Run> {
  return new Promise((resolve) => {
    const start = performance.now();
    // Only PATH and HOME from this process: a COMPOSE_* variable of the caller must not change the case.
    // `--` as in the bin's shebang: without it node 20 reads berth's own `--env-file` as its own.
    const child = spawn(process.execPath, ["--", bin, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, killAfterMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: performance.now() - start, killed });
    });
  });
}

beforeAll(() => {
  if (!existsSync(fileURLToPath(new URL("../../packages/cli/dist/main.js", import.meta.url))))
    throw new Error("packages/cli is not built: run pnpm build");
});

/**
 * Big inputs refused correctly but not within timeLimit(), or with an unclear message
 * (README.md, "Bugs found"). They still run and must keep failing.
 */
const KNOWN_CLI_BUGS: Record<string, string> = {
  "deep-10000-in-extension":
    "refused as nested too deeply (more than 200 levels) in x-deep; compose accepts it (go-yaml allows 10 000)",
};

/** Refused correctly, in about 2 s depending on the load: the time is not checked (README.md, "Bugs found"). */
const KNOWN_SLOW: Record<string, string> = {
  "huge-10mb-labels": "175 000 keys in one mapping, walked by every stage of the loader: 1–2 s under load",
};

describe("hostile inputs: berth config -q on huge and deep files", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "berth-hostile-big-"));
  const inputs = bigInputs();
  beforeAll(() => {
    for (const input of inputs) {
      mkdirSync(path.join(dir, input.id));
      writeFileSync(path.join(dir, input.id, "compose.yaml"), input.content);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(inputs.map((i) => [i.id, i] as const))("%s", async (id, input) => {
    // Killed a little after the limit: enough to tell "too slow", without waiting minutes for a hang.
    // A known bug only has to show it is still there: a fix makes it end within the idle limit.
    const limit = timeLimit();
    const killAfter = KNOWN_SLOW[id] ? 20_000 : KNOWN_CLI_BUGS[id] ? 2_500 : limit + 500;
    const run = await berth(["-p", "hostile", "config", "-q"], path.join(dir, id), {}, killAfter);
    const check = () => {
      expect(run.killed, `still running after ${killAfter} ms`).toBe(false);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/compose\.yaml:\d+:\d+: /);
      expect(run.stderr).toContain(input.includes);
      expect(run.stderr).not.toContain("Maximum call stack");
      // The message quotes the faulty value; it must not carry megabytes of it.
      expect(run.stderr.length).toBeLessThan(2_000);
      if (!KNOWN_SLOW[id]) expect(run.ms).toBeLessThan(limit);
    };
    if (KNOWN_CLI_BUGS[id])
      expect(check, `fixed? remove it from KNOWN_CLI_BUGS: ${KNOWN_CLI_BUGS[id]}`).toThrow();
    else check();
  });
});

it("lists only existing cases as known bugs", () => {
  const ids = new Set([...readCases().map((c) => c.id), ...bigInputs().map((i) => i.id)]);
  const listed = [...Object.keys(KNOWN_CLI_BUGS), ...Object.keys(KNOWN_SLOW)];
  expect(listed.filter((id) => !ids.has(id))).toEqual([]);
});

describe.skipIf(!requireDocker())("hostile inputs: berth up -d", () => {
  const sample = readCases().filter((c) => c.meta.cli);

  it("samples every category", () => {
    // fuzz-* regressions are loader inputs; the CLI adds nothing to them.
    const categories = new Set(readCases().map((c) => c.meta.category));
    categories.delete("fuzz");
    expect(new Set(sample.map((c) => c.meta.category))).toEqual(categories);
  });

  it.each(sample.map((c) => [c.id, c] as const))("%s", async (_id, c: HostileCase) => {
    const fromEnv = c.args.env?.COMPOSE_PROJECT_NAME;
    const project = c.args.projectName ?? fromEnv ?? uniqueProject("hostile");
    const args = [
      ...(fromEnv === undefined ? ["-p", project] : []),
      ...(c.args.envFiles ?? []).flatMap((f) => ["--env-file", f]),
      "up",
      "-d",
    ];
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const engineLevel = c.meta.expect === "engine-error";
    try {
      const run = await berth(args, c.dir, caseEnv(c, { id: project, port }), engineLevel ? 60_000 : 10_000);
      const left = c.meta.category === "duplicate" ? [] : await leftovers(project);
      const check = () => {
        expect(run.code, run.stderr).toBe(1);
        if (c.meta.includes) expect(run.stderr).toContain(c.meta.includes);
        // Duplicates: both containers are created and the engine refuses one; the message must say which.
        if (c.meta.category === "duplicate") expect(run.stderr).toMatch(/service "?[ab]"?/);
        else expect(left).toEqual([]);
        if (!engineLevel) expect(run.ms).toBeLessThan(timeLimit());
      };
      if (KNOWN_CLI_BUGS[c.id])
        expect(check, `fixed? remove it from KNOWN_CLI_BUGS: ${KNOWN_CLI_BUGS[c.id]}`).toThrow();
      else check();
    } finally {
      // Names taken from a case (invalid ones) could belong to someone else: only ours are cleaned.
      if (project.startsWith("berth-test-")) await removeProjectResources(project);
    }
  });
});
