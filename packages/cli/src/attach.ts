import type { Project } from "@berth/compose-schema";
import { shortName } from "./commands/logs.js";
import type { CommandContext } from "./context.js";
import type { Docker } from "./docker.js";
import { ExitCode } from "./exit-codes.js";
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

  let interrupts = 0;
  let onInterrupt: () => void = () => {};
  const interrupted = new Promise<Outcome>((resolve) => {
    onInterrupt = () => {
      interrupts++;
      if (interrupts === 1) resolve({ kind: "interrupted" });
    };
  });
  const sigint = () => onInterrupt();
  process.on("SIGINT", sigint);

  const exits = opts.watched.map(async (service): Promise<Outcome> => {
    const statuses = await engine.waitServices(docker, name, { services: [service] });
    return { kind: "exited", service, exitCode: statuses[0]?.exitCode ?? 0 };
  });
  const allDone = Promise.all(exits).then((): Outcome => ({ kind: "all-done" }));
  const outcome = await Promise.race([interrupted, opts.abortOnExit ? Promise.race(exits) : allDone]);

  try {
    if (outcome.kind === "all-done") {
      await logsDone;
      return ExitCode.ok;
    }
    ctx.stderr.write(
      outcome.kind === "interrupted"
        ? "Gracefully stopping... (press Ctrl+C again to force)\n"
        : `Aborting on container exit (service ${outcome.service} exited with code ${outcome.exitCode})...\n`,
    );
    await withProgress(
      ctx,
      (onEvent) => {
        const stopping = engine.stopServices(docker, name, {
          services: opts.watched,
          timeout: opts.timeout,
          onEvent,
        });
        // A second Ctrl-C does not wait for the grace period.
        const forced = new Promise<number>((resolve) => {
          onInterrupt = () => {
            ctx.stderr.write("Killing...\n");
            resolve(engine.killServices(docker, name, { services: opts.watched, onEvent }));
          };
        });
        return Promise.race([stopping, forced]);
      },
      { interactive: false },
    );
    logs.abort();
    await logsDone;
    if (outcome.kind === "interrupted") return ExitCode.interrupted;
    if (opts.exitCodeFrom) {
      const statuses = await engine.waitServices(docker, name, { services: [opts.exitCodeFrom] });
      return statuses[0]?.exitCode ?? ExitCode.ok;
    }
    return outcome.exitCode;
  } finally {
    process.removeListener("SIGINT", sigint);
  }
}
