import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BerthError, loadProject } from "@berth/compose-schema";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { toYaml } from "../hostile/yaml.mjs";

/**
 * Whatever bytes it is given, the loader returns a project or throws a BerthError with a code: never
 * another exception, never a hang. Fixed seeds keep runs reproducible; a failure is shrunk by
 * fast-check and saved as test/hostile/cases/fuzz-<n>/ so that it stays a regression case.
 */
const PER_INPUT_MS = 2_000;
// FUZZ_SEED explores further; the committed runs use the fixed seed.
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);

const validDir = fileURLToPath(new URL("../../packages/compose-schema/fixtures/valid", import.meta.url));
const hostileCases = fileURLToPath(new URL("../hostile/cases", import.meta.url));
const corpus = readdirSync(validDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(path.join(validDir, d.name, "compose.yaml")))
  .map((d) => readFileSync(path.join(validDir, d.name, "compose.yaml")));

const work = mkdtempSync(path.join(tmpdir(), "berth-fuzz-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Verdict = { ok: true } | { ok: false; why: string };

/**
 * Loads `bytes` as the only compose file of an empty project. A synchronous endless loop cannot be
 * interrupted in-process; the timer catches a promise that never settles, the duration check the rest.
 */
async function verdict(bytes: Uint8Array): Promise<Verdict> {
  const dir = path.join(work, "p");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  writeFileSync(path.join(dir, "compose.yaml"), bytes);
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<"hang">((resolve) => {
    timer = setTimeout(() => resolve("hang"), PER_INPUT_MS);
  });
  const outcome = await Promise.race([
    loadProject({ cwd: dir, env: {}, projectName: "fuzz" }).then(
      () => "loaded" as const,
      (err: unknown) => ({ err }),
    ),
    hang,
  ]);
  clearTimeout(timer);
  const ms = performance.now() - start;
  if (outcome === "hang" || ms > PER_INPUT_MS) return { ok: false, why: `took more than ${PER_INPUT_MS} ms` };
  if (outcome === "loaded") return { ok: true };
  const { err } = outcome;
  if (err instanceof BerthError && typeof err.code === "string" && err.code !== "") return { ok: true };
  const e = err as Error | undefined;
  return { ok: false, why: `threw ${e?.constructor?.name ?? typeof err}: ${e?.message ?? String(err)}` };
}

/** Saves a shrunk failing input next to the hostile corpus and returns its folder name. */
function saveRegression(bytes: Uint8Array, why: string): string {
  const taken = readdirSync(hostileCases).filter((d) => d.startsWith("fuzz-")).length;
  const id = `fuzz-${taken + 1}`;
  mkdirSync(path.join(hostileCases, id));
  writeFileSync(path.join(hostileCases, id, "compose.yaml"), bytes);
  const meta = { category: "fuzz", description: why, expect: "no-crash" };
  writeFileSync(path.join(hostileCases, id, "case.json"), `${JSON.stringify(meta, null, 2)}\n`);
  return id;
}

async function checkProperty(arb: fc.Arbitrary<Uint8Array>, numRuns: number): Promise<void> {
  const result = await fc.check(
    fc.asyncProperty(arb, async (bytes) => {
      const v = await verdict(bytes);
      if (!v.ok) throw new Error(v.why);
    }),
    { seed: SEED, numRuns, endOnFailure: false },
  );
  if (result.failed && result.counterexample) {
    const [bytes] = result.counterexample;
    const why = String((result.errorInstance as Error | undefined)?.message ?? result.error);
    const id = saveRegression(bytes, why);
    expect.fail(`loader crash, saved as test/hostile/cases/${id}: ${why}`);
  }
  expect(result.failed, String(result.error)).toBe(false);
}

// ------------------------------------------------------------------ compose-shaped documents

const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    "${A}",
    "${A:-x}",
    "${A:?}",
    "$${",
    "${",
    "}",
    "80:80",
    "1g",
    "10s",
    "service:x",
    "../x",
    "~",
  ),
  fc
    .tuple(
      fc.string({ maxLength: 5 }),
      fc.constantFrom("${", "$", "${A", "${A:-", "}"),
      fc.string({ maxLength: 5 }),
    )
    .map((parts) => parts.join("")),
);
const scalar = fc.oneof(
  text,
  fc.integer({ min: -70_000, max: 70_000 }),
  fc.boolean(),
  fc.constant(null),
  fc.double(),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("list"), tie("map")),
  list: fc.array(tie("node"), { maxLength: 3 }),
  map: fc.dictionary(text, tie("node"), { maxKeys: 3 }),
})).node;

const serviceKeys = [
  "image",
  "build",
  "command",
  "entrypoint",
  "ports",
  "environment",
  "env_file",
  "depends_on",
  "volumes",
  "networks",
  "healthcheck",
  "deploy",
  "labels",
  "restart",
  "extends",
  "profiles",
  "secrets",
  "configs",
  "ulimits",
  "mem_limit",
  "cpus",
  "network_mode",
  "container_name",
  "x-custom",
];
const service = fc.dictionary(fc.constantFrom(...serviceKeys), value, { maxKeys: 5 });
const names = fc.oneof(fc.constantFrom("web", "db", "a", "b", "default"), text);
const document = fc.record(
  {
    name: text,
    services: fc.dictionary(names, fc.oneof(service, value), { maxKeys: 3 }),
    networks: fc.dictionary(names, value, { maxKeys: 2 }),
    volumes: fc.dictionary(names, value, { maxKeys: 2 }),
    secrets: fc.dictionary(names, value, { maxKeys: 2 }),
    configs: fc.dictionary(names, value, { maxKeys: 2 }),
    include: value,
  },
  { requiredKeys: ["services"] },
);

// ------------------------------------------------------------------ mutations of valid files

type Mutation = (b: Buffer, at: number, n: number) => Buffer;
const mutations: Record<string, Mutation> = {
  flipByte: (b, at, n) => Buffer.from(b.map((x, i) => (i === at % b.length ? x ^ (n % 255 || 1) : x))),
  truncate: (b, at) => b.subarray(0, at % (b.length + 1)),
  insertDollarBrace: (b, at) =>
    Buffer.concat([b.subarray(0, at % b.length), Buffer.from("${"), b.subarray(at % b.length)]),
  insertByte: (b, at, n) =>
    Buffer.concat([b.subarray(0, at % b.length), Buffer.from([n % 256]), b.subarray(at % b.length)]),
  /** One line's indentation changed: the classic copy-paste fault. */
  reindentLine: (b, at, n) => {
    const lines = b.toString("utf8").split("\n");
    const i = at % lines.length;
    lines[i] = " ".repeat(n % 9) + lines[i]!.trimStart();
    return Buffer.from(lines.join("\n"));
  },
  tabsForSpaces: (b) => Buffer.from(b.toString("utf8").replaceAll("  ", "\t")),
  swapLines: (b, at, n) => {
    const lines = b.toString("utf8").split("\n");
    const [i, j] = [at % lines.length, n % lines.length];
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    return Buffer.from(lines.join("\n"));
  },
  duplicateLine: (b, at) => {
    const lines = b.toString("utf8").split("\n");
    const i = at % lines.length;
    lines.splice(i, 0, lines[i]!);
    return Buffer.from(lines.join("\n"));
  },
};

const mutated = fc
  .tuple(
    fc.constantFrom(...corpus),
    fc.array(fc.tuple(fc.constantFrom(...Object.keys(mutations)), fc.nat(), fc.nat()), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([file, steps]) => new Uint8Array(steps.reduce((b, [m, at, n]) => mutations[m]!(b, at, n), file)));

describe("loader fuzz", () => {
  it("has valid files to mutate", () => {
    expect(corpus.length).toBeGreaterThan(20);
  });

  it("never crashes on compose-shaped documents", async () => {
    await checkProperty(
      document.map((d) => new Uint8Array(Buffer.from(toYaml(d)))),
      1_200,
    );
  });

  it("never crashes on mutated valid files", async () => {
    await checkProperty(mutated, 1_800);
  });
});
