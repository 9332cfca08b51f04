import type { Project } from "@berth/compose-schema";
import { shortName } from "./commands/logs.js";
import type { CommandContext } from "./context.js";
import type { Docker } from "./docker.js";
import { ExitCode } from "./exit-codes.js";
import type { Interrupt } from "./interrupt.js";
import { useColor } from "./output/colors.js";
import { LogPrefixer } from "./output/log-prefix.js";
import { withProgress } from "./progress-run.js";

export interface AttachOptions {
  /** Services whose logs are shown. */
  services: string[];
  /** Services whose exit ends (or, with abortOnExit, aborts) the session. */
  watched: string[];
  /** Unix seconds: logs from this moment, so lines written while `up` ran are not lost. */
  since: number;
  abortOnExit: boolean;
  exitCodeFrom?: string;
  timeout?: number;
  prefix: boolean;
  color: boolean;
  timestamps?: boolean;
  /** Ctrl-C, listened to since `up` began, so that a press between converging and attaching counts. */
  interrupt: Interrupt;
}

type Outcome =
  | { kind: "interrupted" }
  | { kind: "exited"; service: string; exitCode: number }
  | { kind: "all-done" };

/**
 * The attached half of `up`: streams the services' logs until every container has stopped, or until
 * Ctrl-C (stop gracefully; a second Ctrl-C kills), or with abortOnExit until the first one stops.
 */
export async function attach(
  ctx: CommandContext,
  docker: Docker,
  project: Project,
  opts: AttachOptions,
): Promise<number> {
  const engine = await import("@berth/engine");
  const name = project.name;
  const prefixer = new LogPrefixer({
    color: opts.color && useColor(ctx.global.ansi, ctx.env, ctx.stdout.isTTY),
    prefix: opts.prefix,
  });
  const logs = new AbortController();
  const logsDone =
    opts.services.length === 0
      ? Promise.resolve()
      : engine.streamLogs(
          docker,
          name,
          { services: opts.services, follow: true, since: opts.since, timestamps: opts.timestamps },
          (line) =>
            ctx.stdout.write(
              `${prefixer.format(shortName(name, line.container), line.service, line.text)}\n`,
            ),
          logs.signal,
        );

  const interrupted = opts.interrupt.first().then((): Outcome => ({ kind: "interrupted" }));

  const exits = opts.watched.map(async (service): Promise<Outcome> => {
    const statuses = await engine.waitServices(docker, name, { services: [service] });
    return { kind: "exited", service, exitCode: statuses[0]?.exitCode ?? 0 };
  });
  const allDone = Promise.all(exits).then((): Outcome => ({ kind: "all-done" }));
  const outcome = await Promise.race([interrupted, opts.abortOnExit ? Promise.race(exits) : allDone]);

  if (outcome.kind === "all-done") {
    await logsDone;
    return ExitCode.ok;
  }
  if (outcome.kind === "interrupted") {
    await stopOrKill(ctx, docker, name, opts.watched, opts.timeout, opts.interrupt);
  } else {
    ctx.stderr.write(
      `Aborting on container exit (service ${outcome.service} exited with code ${outcome.exitCode})...\n`,
    );
    // Any Ctrl-C from now on kills rather than waits for the grace period.
    await stopServices(ctx, docker, name, opts.watched, opts.timeout, opts.interrupt, 1);
  }
  logs.abort();
  await logsDone;
  if (outcome.kind === "interrupted") return ExitCode.interrupted;
  if (opts.exitCodeFrom) {
    const statuses = await engine.waitServices(docker, name, { services: [opts.exitCodeFrom] });
    return statuses[0]?.exitCode ?? ExitCode.ok;
  }
  return outcome.exitCode;
}

/**
 * After the first Ctrl-C: stops the services within their grace periods (`timeout` overrides them);
 * a second Ctrl-C kills them instead.
 */
export function stopOrKill(
  ctx: CommandContext,
  docker: Docker,
  projectName: string,
  services: string[],
  timeout: number | undefined,
  interrupt: Interrupt,
): Promise<void> {
  ctx.stderr.write("Gracefully stopping... (press Ctrl+C again to force)\n");
  return stopServices(ctx, docker, projectName, services, timeout, interrupt, 2);
}

/** Stops the services; once Ctrl-C has been pressed `killAt` times in all, kills them instead. */
async function stopServices(
  ctx: CommandContext,
  docker: Docker,
  projectName: string,
  services: string[],
  timeout: number | undefined,
  interrupt: Interrupt,
  killAt: number,
): Promise<void> {
  const engine = await import("@berth/engine");
  await withProgress(
    ctx,
    (onEvent) => {
      const stopping = engine.stopServices(docker, projectName, { services, timeout, onEvent });
      const forced = new Promise<number>((resolve, reject) => {
        interrupt.onPress(killAt, () => {
          ctx.stderr.write("Killing...\n");
          engine.killServices(docker, projectName, { services, onEvent }).then(resolve, reject);
        });
      });
      return Promise.race([stopping, forced]);
    },
    { interactive: false },
  );
}
