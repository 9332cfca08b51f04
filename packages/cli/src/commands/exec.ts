import type { CommandContext } from "../context.js";
import type { ExecFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { parseEnvFlags } from "../env-flags.js";
import { showPlan } from "../output/plan.js";
import { resolveProjectRef } from "../project-ref.js";
import { withRawStdin } from "../tty.js";

/** Runs the command in the service's container; its exit code becomes Berth's. */
export async function run(
  ctx: CommandContext,
  [service, command]: [string, string[]],
  opts: ExecFlags,
): Promise<number> {
  const { name } = await resolveProjectRef(ctx, [service]);
  const { execInService, planExec } = await import("@berth/engine");
  const docker = await connect(ctx);
  if (ctx.global.dryRun)
    return showPlan(ctx, await planExec(docker, name, service, command, { index: opts.index }));
  const options = {
    index: opts.index,
    user: opts.user,
    workdir: opts.workdir,
    env: parseEnvFlags(opts.env, ctx.env),
    privileged: opts.privileged,
  };
  // -d: nothing is attached, so there is no terminal to set up and no exit code to wait for.
  if (opts.detach)
    return (await execInService(docker, name, service, command, { ...options, detach: true })).exitCode;
  // Like docker compose: a TTY only when ours is one and -T was not given.
  const tty = opts.tty && process.stdin.isTTY === true && ctx.stdout.isTTY === true;
  const result = await withRawStdin(tty, () =>
    execInService(docker, name, service, command, {
      ...options,
      tty,
      interactive: true,
      stdin: process.stdin,
      stdout: ctx.stdout,
      stderr: ctx.stderr,
    }),
  );
  return result.exitCode;
}
