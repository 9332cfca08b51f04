import type { EngineEvent } from "@berth/engine";
import { describe, expect, it } from "vitest";
import type { CommandContext } from "../context.js";
import { resolveGlobalOptions } from "../global-options.js";
import { createWatchOutput } from "./watch-lines.js";

function context(): { ctx: CommandContext; text: () => string } {
  const chunks: string[] = [];
  const stderr = { write: (c: string) => chunks.push(c), isTTY: false } as unknown as NodeJS.WriteStream;
  const env = {};
  const global = resolveGlobalOptions({ progress: "plain", dryRun: true }, env);
  return { ctx: { global, env, stdout: stderr, stderr }, text: () => chunks.join("") };
}

const planned = (kind: EngineEvent["kind"], name: string, action: string, detail: string): EngineEvent => ({
  kind,
  name,
  service: "api",
  action,
  status: "planned",
  detail,
});

describe("watch output of a dry run", () => {
  it("prints every burst's plan whole, also the steps of a rebuild planned again", async () => {
    const { ctx, text } = context();
    const output = await createWatchOutput(ctx);
    for (let burst = 0; burst < 2; burst++) {
      output.onEvent(planned("image", "shop/api:latest", "Built", "--build"));
      output.onEvent(planned("container", "shop-api-1", "Recreated", "image changed"));
      output.onEvent(planned("service", "api", "Watch", "rebuilt and recreated: ./api/package.json changed"));
    }
    await output.close();
    const burst = [
      "Image shop/api:latest  Built  --build",
      "Container shop-api-1  Recreated  image changed",
      "api: rebuilt and recreated: ./api/package.json changed",
    ];
    expect(text()).toBe(`${[...burst, ...burst].join("\n")}\n`);
  });
});
