import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ComposeError, ErrorCodes } from "./errors.js";
import { resolveInclude } from "./include.js";
import { mergeDocuments } from "./merge.js";
import { parseComposeFile } from "./parse.js";

// Checked with `compose-reference -f <fixture> config`: compose.yaml loads, conflict.yaml and twice.yaml
// fail with "imported compose file [...] defines conflicting service db".
const fixtures = fileURLToPath(new URL("../fixtures/merge/include/", import.meta.url));
const at = (p: string) => resolve(fixtures, p);

function parse(path: string) {
  return parseComposeFile(path, readFileSync(path, "utf8"));
}

type Opts = { files: string[]; projectDirectory: string; envFiles: string[] };

/** Loads the included files as the loader would (minus interpolation and path resolution). */
async function loadIncluded(opts: Opts): Promise<Record<string, unknown>> {
  let doc: Record<string, unknown> = {};
  for (const f of opts.files) doc = mergeDocuments(doc, parse(f).data as Record<string, unknown>);
  return doc;
}

async function run(name: string, extra: { ancestors?: string[] } = {}) {
  const file = parse(at(name));
  const calls: Opts[] = [];
  const doc = await resolveInclude(file.data as Record<string, unknown>, {
    file,
    projectDir: fixtures,
    ...extra,
    loadIncluded: (opts) => {
      calls.push(opts);
      return loadIncluded(opts);
    },
  });
  return { doc, calls };
}

async function failure(name: string, extra: { ancestors?: string[] } = {}): Promise<ComposeError> {
  try {
    await run(name, extra);
  } catch (err) {
    expect(err).toBeInstanceOf(ComposeError);
    expect((err as ComposeError).code).toBe(ErrorCodes.include);
    return err as ComposeError;
  }
  throw new Error("resolveInclude did not fail");
}

describe("resolveInclude", () => {
  it("adds the resources of each included project and removes include", async () => {
    const { doc } = await run("compose.yaml");
    expect(doc.include).toBeUndefined();
    expect(Object.keys(doc.services as object)).toEqual(["web", "db", "cache", "tool"]);
    expect((doc.services as Record<string, unknown>).cache).toEqual({
      image: "redis",
      command: ["redis-server"],
    });
    expect(doc.networks).toEqual({ front: {} });
    expect(doc.volumes).toEqual({ data: {} });
    expect(doc.secrets).toEqual({ token: { file: "./token" } });
    expect(doc.configs).toEqual({ conf: { file: "./conf" } });
  });

  it("loads each entry with its files, project directory and env files", async () => {
    const { calls } = await run("compose.yaml");
    expect(calls).toEqual([
      // Default project directory: the first file's; default env file: its .env, when there is one.
      { files: [at("sub/compose.yaml")], projectDirectory: at("sub"), envFiles: [at("sub/.env")] },
      {
        files: [at("other/a.yaml"), at("other/b.yaml")],
        projectDirectory: at("other"),
        envFiles: [at("other/custom.env")],
      },
      { files: [at("nodotenv/compose.yaml")], projectDirectory: at("nodotenv"), envFiles: [] },
    ]);
  });

  it("rejects a service defined both locally and by an include", async () => {
    const err = await failure("conflict.yaml");
    expect(err.message).toContain("services.db is defined in conflict.yaml and in sub/compose.yaml");
    expect(err.location).toMatchObject({ file: at("conflict.yaml"), line: 2, column: 5 });
  });

  it("rejects a service defined by two includes", async () => {
    const err = await failure("twice.yaml");
    expect(err.message).toContain("services.db is defined in sub/compose.yaml and in dup/compose.yaml");
    expect(err.location).toMatchObject({ line: 4, column: 5 });
  });

  it("accepts a resource defined identically twice", async () => {
    // compose.yaml and sub/compose.yaml both define `front: {}`.
    const { doc } = await run("compose.yaml");
    expect(Object.keys(doc.networks as object)).toEqual(["front"]);
  });

  it("rejects an include cycle", async () => {
    const err = await failure("compose.yaml", { ancestors: [at("sub/compose.yaml")] });
    expect(err.message).toContain("include cycle: sub/compose.yaml -> compose.yaml -> sub/compose.yaml");
    expect(err.location).toMatchObject({ line: 2 });
  });

  it("leaves a document without include as it was, and never modifies its input", async () => {
    const file = parse(at("sub/compose.yaml"));
    const data = file.data as Record<string, unknown>;
    const before = JSON.stringify(data);
    const loaded = await resolveInclude(data, { file, projectDir: fixtures, loadIncluded });
    expect(loaded).toEqual(data);
    const main = parse(at("compose.yaml"));
    const mainBefore = JSON.stringify(main.data);
    await resolveInclude(main.data as Record<string, unknown>, {
      file: main,
      projectDir: fixtures,
      loadIncluded,
    });
    expect(JSON.stringify(main.data)).toBe(mainBefore);
    expect(JSON.stringify(data)).toBe(before);
  });
});
