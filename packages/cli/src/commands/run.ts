import type { RunOptions } from "@berth/engine";
import type { CommandContext } from "../context.js";
import type { RunFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { parseEnvFlags } from "../env-flags.js";
import { UsageError } from "../errors.js";
import { showPlan } from "../output/plan.js";
import { withProgress } from "../progress-run.js";
import { loadFromCli } from "../project.js";
import { withRawStdin } from "../tty.js";
import { parseVolumeFlag } from "../volume-flag.js";

/** A one-off container of the service; its exit code becomes Berth's. */
export async function run(
  ctx: CommandContext,
  [service, command]: [string, string[]],
  opts: RunFlags,
): Promise<number> {
  const project = await loadFromCli(ctx, { services: [service] });
  const engine = await import("@berth/engine");
  const docker = await connect(ctx);
  const tty = opts.tty && !opts.detach && process.stdin.isTTY === true && ctx.stdout.isTTY === true;
  const runOptions: RunOptions = {
    command: command.length > 0 ? command : undefined,
    // An empty --entrypoint clears the image's entrypoint, as in docker.
    entrypoint: opts.entrypoint === undefined ? undefined : opts.entrypoint.split(/\s+/).filter(Boolean),
    env: parseEnvFlags(opts.env, ctx.env),
    publish: opts.publish,
    servicePorts: opts.servicePorts,
    tty,
    interactive: !opts.detach,
    volumes: opts.volume?.map((v) => parseVolumeFlag(v, process.cwd())),
    user: opts.user,
    workdir: opts.workdir,
    labels: parseLabels(opts.label),
    rm: opts.rm,
    name: opts.name,
    noDeps: !opts.deps,
    detach: opts.detach,
    build: opts.build ? "always" : "auto",
    pull: opts.pull ?? "policy",
    quietPull: opts.quietPull,
    stdin: opts.detach ? undefined : process.stdin,
    stdout: ctx.stdout,
    stderr: ctx.stderr,
  };
  if (ctx.global.dryRun) return showPlan(ctx, await engine.dryRunRun(docker, project, service, runOptions));
  const result = await withRawStdin(tty, () =>
    withProgress(ctx, (onEvent) => engine.runOneOff(docker, project, service, runOptions, onEvent), {
      interactive: false,
    }),
  );
  if (opts.detach) {
    ctx.stdout.write(`${result.container}\n`);
    return 0;
  }
  return result.exitCode ?? 0;
}

function parseLabels(values: string[] | undefined): Record<string, string> | undefined {
  if (!values) return undefined;
  const labels: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf("=");
    if (eq <= 0) throw new UsageError(`invalid label "${v}": expected KEY=VALUE`);
    labels[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return labels;
}
