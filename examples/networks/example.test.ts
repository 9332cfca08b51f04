import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BUSYBOX, docker, requireDocker } from "../../test/helpers/docker.js";
import { requireImages, useExample } from "../support/berth.js";

const dir = fileURLToPath(new URL(".", import.meta.url));

describe.skipIf(!requireDocker())("examples/networks", () => {
  const example = useExample(dir, "networks");
  const get = (from: string, host: string) =>
    example.run(["exec", "-T", from, "wget", "-qO-", `http://${host}/`]);

  it("reaches a service by its name and its aliases on a shared network", async () => {
    await requireImages([BUSYBOX]);
    await example.ok(["up", "-d", "--wait"]);
    for (const host of ["web", "website", "www.example.internal"]) {
      const result = await get("client", host);
      expect(result.stdout, `${host}: ${result.stderr}`).toBe("hello from web\n");
    }
  });

  it("does not reach it from a network it is not on", async () => {
    const result = await get("outsider", "website");
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("bad address 'website'");
  });

  it("creates the back network as internal", async () => {
    const back = await docker.getNetwork(`${example.project}_back`).inspect();
    const front = await docker.getNetwork(`${example.project}_front`).inspect();
    expect([back.Internal, front.Internal]).toEqual([true, false]);
  });
});
