import type { connectDocker } from "@berth/engine";
import type { CommandContext } from "./context.js";

/** The engine client, named through @berth/engine (the CLI does not depend on dockerode itself). */
export type Docker = ReturnType<typeof connectDocker>;

/** Connects to DOCKER_HOST (or the local socket) and checks that the engine answers. */
export async function connect(ctx: CommandContext): Promise<Docker> {
  const { connectDocker, pingDocker } = await import("@berth/engine");
  const docker = connectDocker(ctx.env.DOCKER_HOST);
  await pingDocker(docker, ctx.env.DOCKER_HOST);
  return docker;
}
