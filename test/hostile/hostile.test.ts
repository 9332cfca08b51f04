import { BerthError, loadProject } from "@berth/compose-schema";
import { afterAll, describe, expect, it } from "vitest";
import { type HostileCase, caseEnv, readCases, timeLimit } from "./cases.js";

/**
 * Cases that fail because of a bug in the loader (README.md, "Bugs found"). They still run and must
 * keep failing, so that a fix shows up here and its entry can be removed.
 */
const KNOWN_LOADER_BUGS: Record<string, string> = {};

const cases = readCases();
const timings: { id: string; ms: number }[] = [];

/** As the CLI test passes -p, unless the case is about the project name given another way. */
function projectNameOf(c: HostileCase): string | undefined {
  if (c.args.projectName !== undefined) return c.args.projectName;
  return c.args.env?.COMPOSE_PROJECT_NAME !== undefined ? undefined : "hostile";
}

async function load(c: HostileCase): Promise<{ error?: unknown; ms: number }> {
  const start = performance.now();
  const error = await loadProject({
    cwd: c.dir,
    env: caseEnv(c, { id: "hostile-test", port: 1 }),
    projectName: projectNameOf(c),
    envFiles: c.args.envFiles,
  }).then(
    () => undefined,
    (err: unknown) => err ?? new Error("rejected with nothing"),
  );
  const ms = performance.now() - start;
  timings.push({ id: c.id, ms });
  return { error, ms };
}

function expectLoadError(error: unknown, opts: { dir: string; located: boolean; includes?: string }) {
  expect(error, "the input was accepted").toBeDefined();
  expect(error, `not a BerthError: ${String(error)}`).toBeInstanceOf(BerthError);
  const e = error as BerthError;
  expect(e.code).toMatch(/^[A-Z_]+$/);
  if (opts.located) {
    // Every line of a ComposeErrors message is one located error.
    for (const line of e.message.split("\n")) expect(line).toMatch(/^\/[^:]+:\d+:\d+: \S/);
    expect(e.message.startsWith(opts.dir)).toBe(true);
  } else {
    expect(e.message).not.toBe("");
  }
  if (opts.includes) expect(e.message).toContain(opts.includes);
}

describe("hostile inputs: the loader", () => {
  afterAll(() => {
    const slowest = [...timings].sort((a, b) => b.ms - a.ms).slice(0, 3);
    console.log(
      `hostile: ${timings.length} loads, slowest ${slowest.map((t) => `${t.id} ${t.ms.toFixed(0)} ms`).join(", ")}`,
    );
  });

  it("has a corpus of at least 300 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
  });

  it("lists only existing cases as known bugs", () => {
    const ids = new Set(cases.map((c) => c.id));
    expect(Object.keys(KNOWN_LOADER_BUGS).filter((id) => !ids.has(id))).toEqual([]);
  });

  const loadErrors = cases.filter((c) => c.meta.expect === "load-error");
  it.each(loadErrors.map((c) => [c.id, c] as const))("%s is refused", async (id, c) => {
    const { error, ms } = await load(c);
    const check = () =>
      expectLoadError(error, { dir: c.dir, located: c.meta.located !== false, includes: c.meta.includes });
    if (KNOWN_LOADER_BUGS[id]) {
      expect(check, `fixed? remove it from KNOWN_LOADER_BUGS: ${KNOWN_LOADER_BUGS[id]}`).toThrow();
      return;
    }
    check();
    expect(ms).toBeLessThan(timeLimit());
  });

  // Inputs that once crashed the loader (saved by test/fuzz): a project or a typed error, in time.
  const noCrash = cases.filter((c) => c.meta.expect === "no-crash");
  it.each(noCrash.map((c) => [c.id, c] as const))("%s does not crash", async (_id, c) => {
    const { error, ms } = await load(c);
    const check = () => {
      if (error !== undefined) expect(error).toBeInstanceOf(BerthError);
      expect(ms).toBeLessThan(timeLimit());
    };
    if (KNOWN_LOADER_BUGS[c.id]) expect(check, "fixed? remove it from KNOWN_LOADER_BUGS").toThrow();
    else check();
  });

  // Faults only the engine layer can see: the loader must let them through (berth up refuses them).
  const engineErrors = cases.filter((c) => c.meta.expect === "engine-error");
  it.each(engineErrors.map((c) => [c.id, c] as const))("%s loads", async (_id, c) => {
    const { error, ms } = await load(c);
    expect(error).toBeUndefined();
    expect(ms).toBeLessThan(timeLimit());
  });
});
