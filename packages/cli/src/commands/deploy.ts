import type { CommandContext, CommandModule } from "../context.js";
import type { DeployFlags, DeployLsFlags, DeployPsFlags, DeployRmFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { UsageError } from "../errors.js";
import { ExitCode } from "../exit-codes.js";
import { Interrupt } from "../interrupt.js";
import { redact } from "../output/redact.js";
import { formatTable } from "../output/table.js";
import { withProgress } from "../progress-run.js";
import { loadFromCli } from "../project.js";

/** `berth deploy`: the project as a Swarm stack named after the project. */
export async function run(ctx: CommandContext, _args: [], opts: DeployFlags): Promise<number> {
  if (opts.detach && opts.wait) throw new UsageError("--detach and --wait cannot be used together");
  const global = {
    ...ctx.global,
    files: opts.file && opts.file.length > 0 ? opts.file : ctx.global.files,
    projectName: opts.projectName ?? ctx.global.projectName,
  };
  const project = await loadFromCli({ ...ctx, global });
  const engine = await import("@berth/engine");
  const docker = await connect(ctx);
  const deployOptions = {
    prune: opts.prune,
    detach: opts.detach,
    waitTimeoutSeconds: opts.waitTimeout,
    withRegistryAuth: opts.withRegistryAuth,
    resolveImage: opts.resolveImage,
    hasIpvs: engine.localKernelHasIpvs(ctx.env.DOCKER_HOST),
    env: ctx.env,
    parallel: ctx.global.parallel,
  };
  if (ctx.global.dryRun) {
    const plan = await engine.planSwarmStackDeploy(docker, project, deployOptions);
    ctx.stdout.write(redact(engine.formatDeploySteps(engine.deploySteps(plan))));
    return ExitCode.ok;
  }
  // The first Ctrl-C stops creating and waiting, and leaves the stack as far as it was deployed, like
  // `docker stack deploy`: Swarm goes on converging it. Rolling back instead would be a second
  // deployment the user did not ask for; `berth deploy rm` or a new `berth deploy` is one command away.
  const interrupt = new Interrupt();
  const interrupted = () => {
    ctx.stderr.write(
      `Interrupted: stopped waiting. Stack ${project.name} stays as deployed so far and Swarm keeps converging it (berth deploy ps -p ${project.name}; berth deploy rm ${project.name} removes it)\n`,
    );
    return ExitCode.interrupted;
  };
  try {
    await withProgress(ctx, (onEvent) =>
      engine.deploy(docker, project, { ...deployOptions, signal: interrupt.signal }, onEvent),
    );
  } catch (error) {
    if (!interrupt.interrupted) throw error;
    return interrupted();
  } finally {
    interrupt.dispose();
  }
  // A Ctrl-C that came after the last engine call still means the user stopped the command.
  return interrupt.interrupted ? interrupted() : ExitCode.ok;
}

/** `berth deploy ls`: every stack on the swarm, Berth's and docker stack's. */
export const ls: CommandModule<DeployLsFlags, []> = {
  async run(ctx, _args, opts) {
    const { listSwarmStacks } = await import("@berth/engine");
    const stacks = await listSwarmStacks(await connect(ctx));
    if (opts.format === "json") {
      ctx.stdout.write(`${JSON.stringify(stacks.map((s) => ({ Name: s.name, Services: s.services })))}\n`);
    } else {
      ctx.stdout.write(
        formatTable(
          ["NAME", "SERVICES"],
          stacks.map((s) => [s.name, String(s.services)]),
        ),
      );
    }
    return ExitCode.ok;
  },
};

/** `berth deploy ps [SERVICE]`: the tasks of the project's stack (or of `-p NAME`). */
export const ps: CommandModule<DeployPsFlags, [string | undefined]> = {
  async run(ctx, [service], opts) {
    const stack = opts.projectName ?? ctx.global.projectName ?? (await loadFromCli(ctx)).name;
    const { swarmStackTasks } = await import("@berth/engine");
    const tasks = await swarmStackTasks(await connect(ctx), stack, service);
    if (opts.format === "json") ctx.stdout.write(`${JSON.stringify(tasks)}\n`);
    else {
      const rows = tasks.map((t) => [
        t.id.slice(0, 12),
        t.name,
        t.image,
        t.node,
        t.desiredState,
        t.currentState,
        t.error,
      ]);
      ctx.stdout.write(
        formatTable(["ID", "NAME", "IMAGE", "NODE", "DESIRED STATE", "CURRENT STATE", "ERROR"], rows),
      );
    }
    return ExitCode.ok;
  },
};

/** `berth deploy rm NAME`: services, networks, configs and secrets of the stack; volumes stay. */
export const rm: CommandModule<DeployRmFlags, [string[]]> = {
  async run(ctx, [stacks]) {
    const engine = await import("@berth/engine");
    const docker = await connect(ctx);
    if (ctx.global.dryRun) {
      for (const stack of stacks) {
        const plan = await engine.planSwarmStackRemove(docker, stack);
        ctx.stdout.write(engine.formatDeploySteps(engine.swarmStackRemovalSteps(plan)));
      }
      return ExitCode.ok;
    }
    for (const stack of stacks)
      await withProgress(ctx, (onEvent) => engine.removeSwarmStack(docker, stack, onEvent));
    return ExitCode.ok;
  },
};
