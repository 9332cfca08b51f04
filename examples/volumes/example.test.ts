import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { BUSYBOX, requireDocker } from "../../test/helpers/docker.js";
import { leftovers, requireImages, useExample } from "../support/berth.js";

const dir = fileURLToPath(new URL(".", import.meta.url));

describe.skipIf(!requireDocker())("examples/volumes", () => {
  // Backups go to a directory of this test rather than the example's ./backups.
  const backups = mkdtempSync(join(tmpdir(), "berth-example-volumes-"));
  const example = useExample(dir, "volumes", {
    downArgs: ["--profile", "tools"],
    env: () => ({ BACKUP_DIR: backups }),
  });
  afterAll(() => rmSync(backups, { recursive: true, force: true }));
  const note = async () => (await example.run(["exec", "-T", "app", "cat", "/data/note"])).stdout.trim();

  it("keeps the named volume across down and up", async () => {
    await requireImages([BUSYBOX]);
    await example.ok(["up", "-d", "--wait"]);
    await example.ok(["exec", "-T", "app", "sh", "-c", "echo hello > /data/note"]);
    await example.ok(["down"]);
    expect(await leftovers(example.project)).toEqual([`volume ${example.project}_data`]);
    await example.ok(["up", "-d", "--wait"]);
    expect(await note()).toBe("hello");
  });

  it("backs the volume up and restores it into a new one with one-off containers", async () => {
    await example.ok(["run", "--rm", "backup"]);
    expect(existsSync(join(backups, "data.tar.gz"))).toBe(true);
    await example.ok(["down", "-v"]);
    expect(await leftovers(example.project)).toEqual([]);
    await example.ok(["up", "-d", "--wait"]);
    expect(await note()).toBe("");
    await example.ok(["run", "--rm", "restore"]);
    expect(await note()).toBe("hello");
  });
});
