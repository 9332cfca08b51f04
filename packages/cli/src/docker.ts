import type { connectDocker } from "@berth/engine";
import type { CommandContext } from "./context.js";
import { redact } from "./output/redact.js";

/** The engine client, named through @berth/engine (the CLI does not depend on dockerode itself). */
export type Docker = ReturnType<typeof connectDocker>;

/**
 * Connects to DOCKER_HOST (or the local socket) and checks that the engine answers. With `--verbose`,
 * each request to the engine is reported on stderr, as docker compose's debug log shows its calls.
 */
export async function connect(ctx: CommandContext): Promise<Docker> {
  const { connectDocker, pingDocker, traceEngineCalls } = await import("@berth/engine");
  const docker = connectDocker(ctx.env.DOCKER_HOST);
  if (ctx.global.verbose) {
    traceEngineCalls(docker, (call) => {
      const outcome = call.failure ? `failed: ${call.failure}` : "ok";
      ctx.stderr.write(`${redact(`debug: engine ${call.method} ${call.path} ${outcome} (${call.ms} ms)`)}\n`);
    });
  }
  await pingDocker(docker, ctx.env.DOCKER_HOST);
  return docker;
}
