import type { CommandContext } from "../context.js";
import type { AttachFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { Interrupt } from "../interrupt.js";
import { resolveProjectRef } from "../project-ref.js";
import { withRawStdin } from "../tty.js";

/** Signals docker passes on to an attached container without a TTY (all but those about the client). */
const PROXIED: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR2"];

/**
 * `attach SERVICE`: our stdin, stdout and stderr joined to the service's running container until it
 * exits (its exit code becomes ours) or the detach keys are typed (exit 0, the container runs on).
 */
export async function run(ctx: CommandContext, [service]: [string], opts: AttachFlags): Promise<number> {
  const { name } = await resolveProjectRef(ctx, [service]);
  const { attachService } = await import("@berth/engine");
  const docker = await connect(ctx);
  const attached = await attachService(docker, name, service, {
    index: opts.index,
    stdin: opts.stdin ? process.stdin : undefined,
    stdout: ctx.stdout,
    stderr: ctx.stderr,
    detachKeys: opts.detachKeys,
  });
  const proxy = opts.sigProxy !== false && !attached.tty;
  const forward = (signal: NodeJS.Signals) => void attached.kill(signal).catch(() => undefined);
  // Without the proxy, Ctrl-C ends Berth alone (exit 130) and leaves the container running.
  const interrupt = proxy ? undefined : new Interrupt();
  if (proxy) for (const signal of PROXIED) process.on(signal, forward);
  try {
    const raw = attached.tty && opts.stdin && process.stdin.isTTY === true;
    const interrupted = interrupt?.first().then(() => "interrupted" as const);
    const outcome = await withRawStdin(raw, () =>
      Promise.race(interrupted ? [attached.done, interrupted] : [attached.done]),
    );
    if (outcome === "interrupted") return ExitCode.interrupted;
    return outcome.detached ? ExitCode.ok : outcome.exitCode;
  } finally {
    for (const signal of PROXIED) process.off(signal, forward);
    interrupt?.dispose();
  }
}
