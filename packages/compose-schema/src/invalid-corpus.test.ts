import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BerthError } from "./errors.js";
import { loadProject } from "./load.js";

/**
 * Every folder of fixtures/invalid holds a compose file that docker compose rejects and the exact
 * error Berth must give for it (fixtures/invalid/README.md lists them with compose's verdict).
 */
const corpusDir = fileURLToPath(new URL("../fixtures/invalid", import.meta.url));
const cases = readdirSync(corpusDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe("invalid compose files", () => {
  it("has a realistic corpus", () => {
    expect(cases.length).toBeGreaterThanOrEqual(70);
  });

  it.each(cases)("%s", async (name) => {
    const caseDir = path.join(corpusDir, name);
    const expected = readFileSync(path.join(caseDir, "expected-error.txt"), "utf8").trimEnd();
    const error = await loadProject({ cwd: caseDir, env: {} }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error, "the file was accepted").toBeInstanceOf(BerthError);
    const berthError = error as BerthError;
    expect(berthError.code).not.toBe("");
    expect(berthError.message.replaceAll(`${caseDir}/`, "")).toBe(expected);
  });
});
