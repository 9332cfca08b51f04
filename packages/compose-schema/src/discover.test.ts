import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { discoverProject } from "./discover.js";

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "berth-discover-")));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(path: string, content: string): string {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
  return full;
}

describe("discoverProject", () => {
  it("takes COMPOSE_FILE and COMPOSE_PATH_SEPARATOR from the .env of the working directory", () => {
    const a = write("a.yaml", "services: {}\n");
    const b = write("b.yaml", "services: {}\n");
    write(".env", "COMPOSE_PATH_SEPARATOR=;\nCOMPOSE_FILE=a.yaml;b.yaml\n");
    const out = discoverProject({ cwd: root, processEnv: {} });
    expect(out.files).toEqual([a, b]);
    expect(out.projectDir).toBe(root);
  });

  it("lets the process environment win over the .env", () => {
    write("a.yaml", "services: {}\n");
    const b = write("b.yaml", "services: {}\n");
    write(".env", "COMPOSE_FILE=a.yaml\n");
    expect(discoverProject({ cwd: root, processEnv: { COMPOSE_FILE: "b.yaml" } }).files).toEqual([b]);
  });

  it("reads COMPOSE_FILE from --env-file files instead of any .env", () => {
    write(".env", "COMPOSE_FILE=a.yaml\n");
    const b = write("sub/b.yaml", "services: {}\n");
    write("sub/.env", "COMPOSE_FILE=nowhere.yaml\n");
    const envFile = write("vars.env", "COMPOSE_FILE=sub/b.yaml\nX=1\n");
    const out = discoverProject({ cwd: root, envFiles: [envFile], processEnv: {} });
    expect(out).toMatchObject({ files: [b], projectDir: join(root, "sub"), vars: { X: "1" } });
  });
});
