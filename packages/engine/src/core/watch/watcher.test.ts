import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { WatchErrorCodes } from "./errors.js";
import { watchError, watchRoot } from "./watcher.js";

describe("watchError", () => {
  it("turns the kernel's ENOSPC into the inotify limit, with the sysctl that raises it", () => {
    const enospc = Object.assign(new Error("ENOSPC: System limit for number of file watchers reached"), {
      code: "ENOSPC",
    });
    const error = watchError("/p/src", enospc);
    expect(error).toMatchObject({ code: WatchErrorCodes.watchLimit });
    expect(error.message).toContain("fs.inotify.max_user_watches");
    expect(error.message).toContain("sysctl fs.inotify.max_user_watches=524288");
    const other = watchError("/p/src", Object.assign(new Error("EACCES"), { code: "EACCES" }));
    expect(other).toMatchObject({
      code: WatchErrorCodes.watchFailed,
      message: "cannot watch /p/src: EACCES",
    });
  });
});

describe("watchRoot", () => {
  it("is the folder itself, a file's folder, or the nearest folder that exists", async () => {
    const dir = mkdtempSync(join(tmpdir(), "berth-watch-root-"));
    try {
      mkdirSync(join(dir, "src"));
      writeFileSync(join(dir, "package.json"), "{}");
      expect(await watchRoot(join(dir, "src"))).toBe(join(dir, "src"));
      expect(await watchRoot(join(dir, "package.json"))).toBe(dir);
      expect(await watchRoot(join(dir, "not/yet/there"))).toBe(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
