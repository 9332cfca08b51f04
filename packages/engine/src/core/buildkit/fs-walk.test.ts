import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseDockerignore } from "../build-context.js";
import { type WalkFilter, followPaths, walkFolder } from "./fs-walk.js";

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "berth-fs-walk-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function tree(files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(root, path, ".."), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

async function walked(filter: Partial<WalkFilter> = {}): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of walkFolder(root, { excludes: [], ...filter })) out.push(entry.path);
  return out;
}

describe("walkFolder", () => {
  it("walks depth first with names compared byte by byte, as fsutil's receiver checks", async () => {
    await tree({ "a.txt": "", "a/z": "", B: "", "a-b": "", é: "" });
    expect(await walked()).toEqual(["B", "a", "a/z", "a-b", "a.txt", "é"]);
  });

  it("leaves out what .dockerignore excludes, and sends the folders of re-included files", async () => {
    await tree({
      "keep.txt": "",
      "logs/a.log": "",
      "logs/keep/b.log": "",
      "tmp/x": "",
      "node_modules/m/i.js": "",
    });
    const excludes = parseDockerignore("logs\n!logs/keep\ntmp/*\nnode_modules");
    expect(await walked({ excludes })).toEqual(["keep.txt", "logs", "logs/keep", "logs/keep/b.log", "tmp"]);
  });

  it("does not send an excluded folder when nothing below it is re-included", async () => {
    await tree({ "logs/a.log": "", x: "" });
    const excludes = parseDockerignore("logs\n!logs/*.keep");
    expect(await walked({ excludes })).toEqual(["x"]);
  });

  it("sends only what include patterns match, and the folders on the way", async () => {
    await tree({ Dockerfile: "", "sub/Dockerfile": "", "sub/other": "", "lib/a": "", "lib/deep/b": "" });
    expect(await walked({ includes: ["sub/Dockerfile", "lib"] })).toEqual([
      "lib",
      "lib/a",
      "lib/deep",
      "lib/deep/b",
      "sub",
      "sub/Dockerfile",
    ]);
  });

  it("sends a symlink as a link and never follows it out of the folder", async () => {
    const outside = await mkdtemp(join(tmpdir(), "berth-fs-walk-outside-"));
    try {
      await writeFile(join(outside, "secret"), "outside");
      await symlink(outside, join(root, "escape"));
      const entries = [];
      for await (const entry of walkFolder(root, { excludes: [] })) entries.push(entry);
      expect(entries.map((e) => [e.path, e.linkname])).toEqual([["escape", outside]]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});

describe("followPaths", () => {
  it("adds where a link leads inside the folder, and stops at a link out of it", async () => {
    await tree({ "docker/Dockerfile.real": "" });
    await symlink("docker/Dockerfile.real", join(root, "Dockerfile"));
    await symlink("/etc/passwd", join(root, "outside"));
    expect(await followPaths(root, ["Dockerfile", "outside"])).toEqual([
      "Dockerfile",
      "docker/Dockerfile.real",
      "outside",
    ]);
  });
});
