import type { CommandContext, CommandModule } from "../context.js";
import type { LifecycleFlags } from "../declare/commands.js";
import { connect } from "../docker.js";
import { ExitCode } from "../exit-codes.js";
import { showPlan } from "../output/plan.js";
import { withProgress } from "../progress-run.js";
import { resolveProjectRef } from "../project-ref.js";

type Verb = "start" | "stop" | "restart" | "kill" | "pause" | "unpause";

/** start, stop, restart, kill, pause and unpause differ only in the engine operation they call. */
export function command(verb: Verb): CommandModule<LifecycleFlags, [string[]]> {
  return {
    async run(ctx: CommandContext, [services]: [string[]], opts: LifecycleFlags): Promise<number> {
      const { name } = await resolveProjectRef(ctx, services);
      const engine = await import("@berth/engine");
      const docker = await connect(ctx);
      if (ctx.global.dryRun) {
        const observed = await engine.observeProject(docker, name);
        const plan = engine.planLifecycle(verb, observed, {
          services,
          timeoutSeconds: opts.timeout,
          killSignal: opts.signal,
        });
        return showPlan(ctx, engine.lifecycleSteps(plan));
      }
      await withProgress(ctx, async (onEvent) => {
        const base = { services, onEvent };
        switch (verb) {
          case "start":
            return engine.startServices(docker, name, base);
          case "stop":
            return engine.stopServices(docker, name, { ...base, timeout: opts.timeout });
          case "restart":
            return engine.restartServices(docker, name, { ...base, timeout: opts.timeout });
          case "kill":
            return engine.killServices(docker, name, { ...base, signal: opts.signal });
          case "pause":
            return engine.pauseServices(docker, name, base);
          case "unpause":
            return engine.unpauseServices(docker, name, base);
        }
      });
      return ExitCode.ok;
    },
  };
}
