import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BUSYBOX, requireDocker } from "../../test/helpers/docker.js";
import { berthOk, requireImages, useExample } from "../support/berth.js";

const dir = fileURLToPath(new URL(".", import.meta.url));
const PROD = ["-f", "compose.yaml", "-f", "compose.prod.yaml"];

describe.skipIf(!requireDocker())("examples/extends", () => {
  const example = useExample(dir, "extends", { globalArgs: PROD });
  const envOf = async (service: string) => {
    const { stdout } = await example.ok(["exec", "-T", service, "env"]);
    const wanted = stdout.split("\n").filter((line) => /^(LOG_LEVEL|REGION|ROLE)=/.test(line));
    return wanted.sort().join(" ");
  };

  it("runs services extended from base.yaml and merged with the override file", async () => {
    await requireImages([BUSYBOX]);
    await example.ok(["up", "-d", "--wait"]);
    expect(await envOf("mailer")).toBe("LOG_LEVEL=warn REGION=us ROLE=mailer");
    expect(await envOf("indexer")).toBe("LOG_LEVEL=debug REGION=us ROLE=indexer");
  });

  it("without the override file, keeps base.yaml's values", async () => {
    // Only loaded, never started: nothing to clean up.
    const { stdout } = await berthOk(dir, ["-p", example.project, "-f", "compose.yaml", "config"]);
    expect(stdout).toContain("REGION: eu");
    expect(stdout).not.toContain("REGION: us");
    expect(stdout).toContain("LOG_LEVEL: info");
  });
});
