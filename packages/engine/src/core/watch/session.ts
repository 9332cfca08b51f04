import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Project } from "@berth/compose-schema";
import type { FSWatcher } from "chokidar";
import type Docker from "dockerode";
import { engineCommand } from "../../base/engine-command.js";
import type { EngineEvent, EventListener, EventStatus } from "../../base/events.js";
import { execInService } from "../ops/exec.js";
import { restartServices } from "../ops/lifecycle.js";
import { containerName, containerNumber, projectContainers } from "../ops/select.js";
import { plannedEvent } from "../plan-steps.js";
import { observeForUp, up } from "../up.js";
import { BurstCollector, type BurstTiming, DEFAULT_BURST } from "./burst.js";
import { ServiceContainers } from "./containers.js";
import { NoWatchRulesError } from "./errors.js";
import { initialSyncEntries } from "./initial-sync.js";
import { type RuleMatcher, ruleMatcher, skippableDir } from "./match.js";
import { type ChangeKind, type ServiceWork, type SyncEntry, planBurst } from "./plan.js";
import { type WatchExec, bindMountOver, syncs, watchRules } from "./rules.js";
import { type SyncFiles, putToContainers, readSyncFiles, removeInContainers } from "./sync.js";
import {
  NO_CONTAINER,
  REBUILT,
  RESTARTED,
  WATCH_ACTION,
  prunedText,
  ranText,
  replicasText,
  syncedText,
  watchBurstSteps,
} from "./watch-steps.js";
import { watchFiles } from "./watcher.js";

export interface WatchOptions {
  /** Services to watch; by default every service of the project. */
  services?: string[];
  /** `--prune`: after a rebuild, remove the image it replaced when no container uses it any more. */
  prune?: boolean;
  /** `--quiet`: no build and recreate progress from rebuilds, only the summary lines. */
  quiet?: boolean;
  /** Engine operations at once during a rebuild. */
  parallel?: number;
  /** Poll instead of kernel notifications (default: only on network and virtual file systems). */
  poll?: boolean;
  burst?: BurstTiming;
  /**
   * `--dry-run`: watch for real, and report each burst's plan (`watchBurstSteps`, status `planned`)
   * instead of acting on it: nothing is copied, run, restarted, built or recreated.
   */
  dryRun?: boolean;
}

export interface WatchSession {
  /** Rejects when the watch cannot go on (the inotify limit reached after the start). */
  readonly failed: Promise<never>;
  /** Resolves once the changes seen so far have been acted on (for tests and benchmarks). */
  idle(): Promise<void>;
  /** Stops watching; a rebuild in flight is cancelled. The containers are left as they are. */
  close(): Promise<void>;
}

/**
 * `berth watch`: acts on the `develop.watch` rules of the services until closed. Each burst of changes
 * becomes, per service, one archive and one `rm` per container, one restart, one exec per rule, or one
 * rebuild; each reported as one event. A failure is reported and the watch goes on.
 */
export const watchProject = engineCommand(
  "watch",
  async (docker, project: Project, opts: WatchOptions, run) => {
    const { onEvent } = run;
    const selected = opts.services?.length ? opts.services : Object.keys(project.services);
    const report = (service: string, status: EventStatus, detail: string, extra: Partial<EngineEvent> = {}) =>
      onEvent({ kind: "service", name: service, service, action: WATCH_ACTION, status, detail, ...extra });
    const matchers = await matchersOf(project, selected, (service, detail) =>
      report(service, "warning", detail),
    );
    if (matchers.length === 0) throw new NoWatchRulesError(selected);
    const abort = new AbortController();
    let containers: ServiceContainers | undefined;
    let act: BurstActions;
    if (opts.dryRun) act = plannedActions(docker, project, opts, onEvent, report);
    else {
      containers = new ServiceContainers(docker, project.name);
      await containers.start();
      act = actions(docker, project, containers, opts, abort.signal, onEvent, report);
    }

    for (const [service, copies] of await initialSyncs(matchers)) await act.initialSync(service, copies);

    const collector = new BurstCollector(async (changes) => {
      await act.burst(planBurst(matchers, changes));
    }, opts.burst ?? DEFAULT_BURST);
    let fail: (error: Error) => void = () => {};
    const failed = new Promise<never>((_, reject) => {
      fail = reject;
    });
    // Nobody may be listening yet; the rejection is still delivered to whoever awaits `failed`.
    failed.catch(() => undefined);
    const paths = [...new Set(matchers.map((m) => m.rule.path))];
    const watcher: FSWatcher = await watchFiles({
      paths,
      poll: opts.poll,
      skip: (path) => skippableDir(matchers, path),
      onChange: (path, kind: ChangeKind) => collector.add(path, kind),
      onActivity: () => collector.touch(),
      onError: (error) => fail(error),
    }).catch((error: unknown) => {
      // The engine's event stream would keep the process alive.
      containers?.close();
      throw error;
    });
    for (const service of new Set(matchers.map((m) => m.rule.service))) {
      const count = matchers.filter((m) => m.rule.service === service).length;
      report(service, "progress", `watching ${count} rule${count === 1 ? "" : "s"}`);
    }
    return {
      failed,
      idle: () => collector.idle(),
      async close() {
        abort.abort();
        collector.close();
        await watcher.close();
        await collector.idle();
        containers?.close();
      },
    };
  },
);

/** The rules of the services, each with the `.dockerignore` of the service's build context. */
async function matchersOf(
  project: Project,
  services: readonly string[],
  warn: (service: string, detail: string) => void,
): Promise<RuleMatcher[]> {
  const matchers: RuleMatcher[] = [];
  for (const name of services) {
    const service = project.services[name];
    if (!service) continue;
    const rules = watchRules(project, service);
    if (rules.length === 0) continue;
    const contextDir = service.build?.context
      ? resolve(project.workingDir, service.build.context)
      : undefined;
    const dockerignore = contextDir
      ? await readFile(resolve(contextDir, ".dockerignore"), "utf8").catch(() => "")
      : "";
    const context = contextDir ? { dir: contextDir, dockerignore } : undefined;
    for (const rule of rules) {
      const mount = bindMountOver(project, service, rule);
      if (mount)
        warn(name, `develop.watch[${rule.index}]: ${rule.path} is bind-mounted from ${mount}: not watched`);
      else matchers.push(ruleMatcher(rule, context));
    }
  }
  return matchers;
}

async function initialSyncs(matchers: readonly RuleMatcher[]): Promise<Map<string, SyncEntry[]>> {
  const byService = new Map<string, SyncEntry[]>();
  for (const m of matchers) {
    if (!m.rule.initialSync || !syncs(m.rule.action)) continue;
    const entries = await initialSyncEntries(m);
    byService.set(m.rule.service, [...(byService.get(m.rule.service) ?? []), ...entries]);
  }
  return byService;
}

type Report = (service: string, status: EventStatus, detail: string, extra?: Partial<EngineEvent>) => void;

/** What a watch does with the initial syncs and with each burst's plan. */
interface BurstActions {
  initialSync(service: string, copies: SyncEntry[]): Promise<void>;
  burst(works: ServiceWork[]): Promise<void>;
}

/**
 * `--dry-run`: each burst's plan from the project as observed now (a read), reported as planned events;
 * a rebuild's `up` steps are its progress, which `--quiet` leaves out as in the real run.
 */
function plannedActions(
  docker: Docker,
  project: Project,
  opts: WatchOptions,
  onEvent: EventListener,
  report: Report,
): BurstActions {
  const plan = async (works: ServiceWork[]): Promise<void> => {
    if (works.length === 0) return;
    try {
      const observed = await observeForUp(
        docker,
        project,
        works.map((w) => w.service),
      );
      for (const step of watchBurstSteps(project, works, observed, opts)) {
        if (opts.quiet && step.action !== WATCH_ACTION) continue;
        onEvent(plannedEvent(step));
      }
    } catch (error) {
      for (const w of works)
        report(w.service, "error", `plan failed: ${(error as Error).message}`, { error: error as Error });
    }
  };
  return {
    initialSync: (service, copies) =>
      plan([{ service, rebuild: false, copies, removes: [], restart: false, execs: [], triggers: [] }]),
    burst: plan,
  };
}

/** The side effects of a burst: sync, exec, restart and rebuild, each reported once per service. */
function actions(
  docker: Docker,
  project: Project,
  known: ServiceContainers,
  opts: WatchOptions,
  signal: AbortSignal,
  onEvent: EventListener,
  report: Report,
): BurstActions {
  const running = (service: string) => known.running(service);
  // A container's user never changes: asked once per container.
  const users = new Map<string, Promise<string>>();
  const userOf = (c: Docker.ContainerInfo): Promise<string> => {
    let user = users.get(c.Id);
    if (!user) {
      user = docker
        .getContainer(c.Id)
        .inspect()
        .then((info) => info.Config.User ?? "");
      users.set(c.Id, user);
    }
    return user;
  };

  /**
   * A service's work of one burst, in the order compose does it: copy and remove files, run the
   * `sync+exec` commands, restart. One summary line; the first failure ends the service's work.
   */
  async function serviceWork(
    service: string,
    work: Pick<ServiceWork, "copies" | "removes" | "execs" | "restart">,
  ): Promise<void> {
    const started = Date.now();
    const done: string[] = [];
    let step = "sync";
    try {
      // The files are read while the engine lists the containers (when it must).
      const reading = readSyncFiles(work.copies);
      const containers = await running(service);
      if (containers.length === 0) {
        report(service, "warning", NO_CONTAINER);
        return;
      }
      if (work.copies.length > 0 || work.removes.length > 0) {
        const synced = await sync(service, containers, await reading, work.removes);
        if (synced) done.push(synced);
      }
      for (const command of work.execs) {
        step = command.command.join(" ");
        await exec(service, containers, command);
        done.push(ranText(command));
      }
      if (work.restart) {
        step = "restart";
        await restartServices(docker, project.name, { services: [service] });
        known.forget(service);
        done.push(RESTARTED);
      }
      if (done.length === 0) return;
      const elapsedMs = Date.now() - started;
      report(service, "done", `${done.join(", ")}${replicasText(containers.length)} in ${elapsedMs} ms`, {
        elapsedMs,
      });
    } catch (error) {
      report(service, "error", `${step} failed: ${(error as Error).message}`, { error: error as Error });
    }
  }

  /** Copies and removals in every container; what was done, or undefined when there was nothing to do. */
  async function sync(
    service: string,
    containers: Docker.ContainerInfo[],
    read: SyncFiles,
    removes: string[],
  ): Promise<string | undefined> {
    for (const { path, reason } of read.unreadable) report(service, "warning", `skipped ${path}: ${reason}`);
    const removed = [...removes, ...read.vanished];
    // Removals first: a folder replaced by a file of the same name (or the reverse) ends as the host has it.
    if (removed.length > 0) await removeInContainers(docker, project.name, service, containers, removed);
    if (read.files.length > 0) await putToContainers(docker, containers, read.files, userOf);
    const total = read.files.length + removed.length;
    if (total === 0) return undefined;
    return syncedText(total, removed.length);
  }

  async function exec(
    service: string,
    containers: Docker.ContainerInfo[],
    command: WatchExec,
  ): Promise<void> {
    await Promise.all(
      containers.map(async (c) => {
        const result = await execInService(docker, project.name, service, command.command, {
          index: containerNumber(c),
          user: command.user,
          workdir: command.workingDir,
          env: command.env,
          privileged: command.privileged,
        });
        if (result.exitCode !== 0) {
          const output = (result.stderr || result.stdout || "").trim();
          throw new Error(
            `in ${containerName(c)} it exited with ${result.exitCode}${output ? `: ${output}` : ""}`,
          );
        }
      }),
    );
  }

  /** `up --build SERVICE --no-deps`, as compose's rebuild does; with `prune`, the replaced image goes. */
  async function rebuild(service: string): Promise<void> {
    const started = Date.now();
    try {
      const before = new Set((await running(service)).map((c) => c.ImageID));
      await up(
        docker,
        project,
        { services: [service], noDeps: true, build: "always", parallel: opts.parallel, signal },
        opts.quiet ? () => {} : onEvent,
      );
      known.forget(service);
      const elapsedMs = Date.now() - started;
      report(service, "done", `${REBUILT} in ${(elapsedMs / 1000).toFixed(1)} s`, { elapsedMs });
      if (opts.prune) await pruneReplaced(service, before);
    } catch (error) {
      if (signal.aborted) return;
      report(service, "error", `rebuild failed: ${(error as Error).message}`, { error: error as Error });
    }
  }

  async function pruneReplaced(service: string, before: Set<string>): Promise<void> {
    const inUse = new Set(
      (await projectContainers(docker, project.name, { all: true, oneoff: "include" })).map((c) => c.ImageID),
    );
    for (const id of before) {
      if (inUse.has(id)) continue;
      // Another project or a tag may still hold it: the engine refuses (409), and the image stays.
      await docker
        .getImage(id)
        .remove()
        .then(
          () => report(service, "done", prunedText(id)),
          () => undefined,
        );
    }
  }

  return {
    /** `initial_sync`: the rule's whole tree, as a burst that wrote every file. */
    initialSync: (service: string, copies: SyncEntry[]) =>
      serviceWork(service, { copies, removes: [], execs: [], restart: false }),
    /** One burst: rebuilds one after the other (they share the project's network and builder), the rest at once. */
    async burst(works: ServiceWork[]): Promise<void> {
      for (const w of works) if (w.rebuild) await rebuild(w.service);
      await Promise.all(works.filter((w) => !w.rebuild).map((w) => serviceWork(w.service, w)));
    },
  };
}
