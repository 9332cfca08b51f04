import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ComposeError, ErrorCodes } from "./errors.js";
import { type LoadedFile, resolveExtends } from "./extends.js";
import { parseComposeFile } from "./parse.js";
import { Locator } from "./source.js";
import { ResetTag } from "./tags.js";

// The fixtures are written in canonical (long) syntax, so that parsing is the only step they need.
// Expectations were checked with `compose-reference -f <fixture> config`.
const fixtures = fileURLToPath(new URL("../fixtures/merge/extends/", import.meta.url));

function load(path: string): LoadedFile {
  const file = parseComposeFile(path, readFileSync(path, "utf8"));
  return { doc: file.data as Record<string, unknown>, file };
}

async function run(relPath: string, onLoad: (path: string) => void = () => {}) {
  const main = load(resolve(fixtures, relPath));
  const locator = new Locator();
  locator.addFile(main.file);
  const workingDir = dirname(main.file.path);
  const doc = await resolveExtends(main.doc, {
    file: main.file,
    locator,
    workingDir,
    loadFile: (path) => {
      onLoad(path);
      return load(path);
    },
  });
  return { services: doc.services as Record<string, Record<string, unknown>>, locator, workingDir };
}

async function failure(relPath: string, only: string): Promise<ComposeError> {
  const main = load(resolve(fixtures, relPath));
  const services = main.doc.services as Record<string, unknown>;
  const doc = { services: { [only]: services[only], ...services } };
  const locator = new Locator();
  locator.addFile(main.file);
  try {
    await resolveExtends(doc, {
      file: main.file,
      locator,
      workingDir: dirname(main.file.path),
      loadFile: load,
    });
  } catch (err) {
    expect(err).toBeInstanceOf(ComposeError);
    return err as ComposeError;
  }
  throw new Error("resolveExtends did not fail");
}

describe("resolveExtends", () => {
  it("merges a chain of bases, across files, and removes extends", async () => {
    const { services } = await run("app/compose.yaml");
    const web = services.web;
    expect(web.extends).toBeUndefined();
    expect(web.image).toBe("base");
    expect(web.labels).toEqual({ from: "web" });
    expect(web.environment).toEqual({ M: "1" });
    expect(web.ports).toEqual([{ target: 80, published: "8080", protocol: "tcp", mode: "ingress" }]);
    // `local` extends `web` in the same file, which itself extends across files.
    expect(services.local).toMatchObject({
      image: "local",
      labels: { from: "web" },
      environment: { M: "1" },
    });
    expect(services.local.extends).toBeUndefined();
    expect(services.plain).toEqual({ image: "plain" });
  });

  it("rebases the relative paths of a base from another file onto the working directory", async () => {
    const { services, workingDir } = await run("app/compose.yaml");
    const web = services.web;
    const common = resolve(fixtures, "common");
    const build = web.build as { context: string; additional_contexts: Record<string, string> };
    expect(resolve(workingDir, build.context)).toBe(resolve(common, "ctx"));
    expect(resolve(workingDir, build.additional_contexts.x)).toBe(resolve(common, "more"));
    expect(build.additional_contexts.y).toBe("docker-image://alpine");
    expect((web.env_file as string[]).map((f) => resolve(workingDir, f))).toEqual([resolve(common, "b.env")]);
    const sources = (web.volumes as { source: string; target: string }[]).map((v) => [v.target, v.source]);
    expect(sources).toEqual([
      ["/data", "../common/data"],
      ["/abs", "/abs"],
      ["/h", "~/h"],
      ["/v", "vol"],
      // The extending service's own paths stay relative to its own file.
      ["/data2", "./data"],
    ]);
  });

  it("rebases twice when the base itself extends a service of a third file", async () => {
    const main = load(resolve(fixtures, "common/base.yaml"));
    const locator = new Locator();
    locator.addFile(main.file);
    const workingDir = resolve(fixtures, "app");
    const doc = await resolveExtends(
      { services: { f: { extends: { file: "./base.yaml", service: "far" } } } },
      { file: main.file, locator, workingDir, loadFile: load },
    );
    const f = (doc.services as Record<string, Record<string, unknown>>).f;
    expect(f.image).toBe("far");
    expect(resolve(workingDir, (f.build as { context: string }).context)).toBe(
      resolve(fixtures, "common/deep"),
    );
    expect(resolve(workingDir, (f.env_file as string[])[0])).toBe(resolve(fixtures, "common/deep/far.env"));
  });

  it("loads each other file once", async () => {
    const loads: string[] = [];
    await run("app/compose.yaml", (p) => loads.push(p));
    expect(loads).toEqual([resolve(fixtures, "common/base.yaml")]);
  });

  it("lets later errors name the file an inherited value was written in", async () => {
    const { locator } = await run("app/compose.yaml");
    const image = locator.locate(["services", "web", "image"]);
    expect(image).toEqual({ file: resolve(fixtures, "common/base.yaml"), line: 3, column: 12 });
    // Written in `mid`, one step further up the chain.
    expect(locator.locate(["services", "web", "environment", "M"])?.line).toBe(37);
    expect(locator.locate(["services", "web", "labels", "from"])?.file).toBe(
      resolve(fixtures, "app/compose.yaml"),
    );
  });

  it("reports a cycle with its chain at the extends key", async () => {
    const err = await failure("cycle/compose.yaml", "web");
    expect(err.code).toBe(ErrorCodes.extends);
    expect(err.message).toContain("extends cycle: web -> base -> web");
    expect(err.location).toMatchObject({ file: resolve(fixtures, "cycle/compose.yaml"), line: 7, column: 5 });
    expect((await failure("cycle/compose.yaml", "self")).message).toContain("extends cycle: self -> self");
  });

  it("reports a cycle through another file", async () => {
    const err = await failure("cycle/compose.yaml", "away");
    expect(err.message).toContain("extends cycle: away -> there -> away");
    expect(err.location?.file).toBe(resolve(fixtures, "cycle/other.yaml"));
  });

  it("reports a missing base service, naming the service and the file", async () => {
    const err = await failure("missing/compose.yaml", "web");
    expect(err.code).toBe(ErrorCodes.extends);
    expect(err.message).toContain(
      `service "web" extends "nothere", which is not defined in ${resolve(fixtures, "missing/compose.yaml")}`,
    );
    expect(err.location).toMatchObject({ line: 4, column: 7 });
  });

  it("reports a missing base file, naming the service and the file", async () => {
    const err = await failure("missing/compose.yaml", "remote");
    expect(err.code).toBe(ErrorCodes.extends);
    expect(err.message).toContain(
      `service "remote" extends "base" from ./nofile.yaml, which cannot be found`,
    );
    expect(err.location).toMatchObject({ line: 7, column: 7 });
  });

  it("lets the extending service reset what it inherits", async () => {
    const main = load(resolve(fixtures, "app/compose.yaml"));
    const locator = new Locator();
    const doc = await resolveExtends(
      {
        services: {
          base: { image: "b", ports: [{ target: 80 }] },
          web: { extends: { service: "base" }, ports: new ResetTag() },
        },
      },
      { file: main.file, locator, workingDir: fixtures, loadFile: load },
    );
    // The tag stays, so that merging the files also drops the value earlier files gave `web`.
    expect((doc.services as Record<string, unknown>).web).toEqual({ image: "b", ports: new ResetTag() });
  });

  it("accepts the short form and a base service written without a body", async () => {
    const main = load(resolve(fixtures, "app/compose.yaml"));
    const doc = await resolveExtends(
      { services: { base: null, web: { extends: "base", image: "w" } } },
      { file: main.file, locator: new Locator(), workingDir: fixtures, loadFile: load },
    );
    expect(doc.services).toEqual({ base: null, web: { image: "w" } });
  });
});
