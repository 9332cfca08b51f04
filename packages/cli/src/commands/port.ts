import type { CommandContext } from "../context.js";
import type { PortFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { CliError, UsageError } from "../errors.js";
import { ExitCode } from "../exit-codes.js";
import { resolveProjectRef } from "../project-ref.js";

export async function run(
  ctx: CommandContext,
  [service, portArg]: [string, string],
  opts: PortFlags,
): Promise<number> {
  const privatePort = Number(portArg);
  if (!Number.isInteger(privatePort) || privatePort <= 0) throw new UsageError(`invalid port "${portArg}"`);
  const { name } = await resolveProjectRef(ctx, [service]);
  const { publishedPort } = await import("@berth/engine");
  const docker = await connect(ctx);
  const found = await publishedPort(docker, name, service, privatePort, {
    protocol: opts.protocol,
    index: opts.index,
  });
  if (!found) {
    throw new CliError(
      "PORT_NOT_PUBLISHED",
      `port ${privatePort}/${opts.protocol} of service ${service} is not published`,
    );
  }
  ctx.stdout.write(`${found.hostIp}:${found.hostPort}\n`);
  return ExitCode.ok;
}
