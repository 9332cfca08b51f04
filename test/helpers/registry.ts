import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.js";

/** Debian's `docker-registry` (distribution), which stands in for Docker Hub: no registry can be reached. */
export const REGISTRY_BIN = "/usr/bin/docker-registry";
export const hasRegistry = (): boolean => existsSync(REGISTRY_BIN);

export interface LocalRegistry {
  /** `127.0.0.1:PORT`, the prefix of image references in it. */
  host: string;
  stop(): Promise<void>;
}

/** A throwaway registry on 127.0.0.1 (the engine trusts it without TLS), its data in a temporary folder. */
export async function startRegistry(): Promise<LocalRegistry> {
  const dir = await mkdtemp(join(tmpdir(), "berth-registry-"));
  const port = await freePort();
  await writeFile(
    join(dir, "config.yml"),
    `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, "data")}\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const registry: ChildProcess = spawn(REGISTRY_BIN, ["serve", join(dir, "config.yml")], { stdio: "ignore" });
  const stop = async () => {
    registry.kill();
    await rm(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/v2/`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return { host: `127.0.0.1:${port}`, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`registry on port ${port} did not start`);
}
