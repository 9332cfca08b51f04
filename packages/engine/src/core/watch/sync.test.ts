import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ownershipOf, readSyncFiles } from "./sync.js";

describe("ownershipOf", () => {
  it("writes numeric users into the archive and leaves names to the engine's lookup", () => {
    expect(ownershipOf("")).toEqual({ uid: 0, gid: 0 });
    expect(ownershipOf("root")).toEqual({ uid: 0, gid: 0 });
    expect(ownershipOf("1000")).toEqual({ uid: 1000, gid: 0 });
    expect(ownershipOf("1000:50")).toEqual({ uid: 1000, gid: 50 });
    expect(ownershipOf("nobody")).toBe("by-name");
    expect(ownershipOf("1000:staff")).toBe("by-name");
  });
});

describe("readSyncFiles", () => {
  it("reads files, folders and links whole; a vanished file is a removal, an unreadable one is skipped", async () => {
    const dir = mkdtempSync(join(tmpdir(), "berth-sync-read-"));
    try {
      mkdirSync(join(dir, "sub"));
      writeFileSync(join(dir, "sub/a.txt"), "a");
      symlinkSync("a.txt", join(dir, "sub/link"));
      const read = await readSyncFiles([
        { hostPath: join(dir, "sub"), containerPath: "/app/sub" },
        { hostPath: join(dir, "sub/a.txt"), containerPath: "/app/sub/a.txt" },
        { hostPath: join(dir, "sub/link"), containerPath: "/app/sub/link" },
        { hostPath: join(dir, "gone.txt"), containerPath: "/app/gone.txt" },
        // A regular file by lstat that no one can read, root included: reading it fails with EIO.
        { hostPath: "/proc/self/mem", containerPath: "/app/mem" },
      ]);
      expect(read.files.map((f) => [f.header.name, f.header.type ?? "file", f.body?.toString()])).toEqual([
        ["app/sub", "directory", undefined],
        ["app/sub/a.txt", "file", "a"],
        ["app/sub/link", "symlink", undefined],
      ]);
      expect(read.files[2].header.linkname).toBe("a.txt");
      expect(read.vanished).toEqual(["/app/gone.txt"]);
      expect(read.unreadable).toEqual([{ path: "/proc/self/mem", reason: expect.stringMatching(/EIO/) }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
