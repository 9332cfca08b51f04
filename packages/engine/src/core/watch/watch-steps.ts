import { isAbsolute, relative, sep } from "node:path";
import type { Project } from "@berth/compose-schema";
import type { ObservedContainer, ObservedState } from "../../base/observe.js";
import { imageOf } from "../container-spec.js";
import { type PlannedStep, planUpSteps } from "../plan-steps.js";
import type { ServiceWork } from "./plan.js";
import type { WatchExec } from "./rules.js";

/** The action of every summary event of a watch: one per service and burst, `detail` says what happened. */
export const WATCH_ACTION = "Watch";

// The words of a burst's summary line, shared by the real run (which adds how long it took) and the dry
// run (which adds what it would copy where), so that the two lines say the same thing.
export const RESTARTED = "restarted";
export const REBUILT = "rebuilt and recreated";
export const NO_CONTAINER = "no running container to update: start it with berth up";

export function syncedText(total: number, removed: number): string {
  return `synced ${total} file${total === 1 ? "" : "s"}${removed ? ` (${removed} removed)` : ""}`;
}

export function ranText(exec: WatchExec): string {
  return `ran ${exec.command.join(" ")}`;
}

export function replicasText(count: number): string {
  return count > 1 ? ` to ${count} containers` : "";
}

export function prunedText(imageId: string): string {
  return `removed the replaced image ${imageId.replace(/^sha256:/, "").slice(0, 12)}`;
}

/** How many host paths a planned line names before it counts the rest. */
const SHOWN_PATHS = 5;

/**
 * The image a rebuild makes is taken to differ from the one the containers run (a file of its build
 * context changed), as the real rebuild's `up` then finds it: a stand-in ID that no container has.
 */
const REBUILT_IMAGE = "(the image the rebuild makes)";

/**
 * What `watch --dry-run` shows for one burst, from the burst's plan (`planBurst`) and the project as
 * observed now: each rebuild as the steps of `up --build --no-deps SERVICE` (the image built, then the
 * recreate that follows) and its summary (with `prune`, then the images it replaces that nothing else
 * uses), then each other service's summary in the real run's words with the files it would copy where.
 * The `Watch` steps' reasons are the lines the real run prints, without the time it took. Pure.
 */
export function watchBurstSteps(
  project: Project,
  works: readonly ServiceWork[],
  observed: ObservedState,
  opts: { prune?: boolean } = {},
): PlannedStep[] {
  const summary = (service: string, reason: string, warning = false): PlannedStep => ({
    kind: "service",
    name: service,
    service,
    action: WATCH_ACTION,
    reason,
    ...(warning ? { warning } : {}),
  });
  const rebuilds = works
    .filter((w) => w.rebuild)
    .flatMap((w) => [
      ...rebuildSteps(project, observed, w.service),
      summary(w.service, `${REBUILT}: ${listed(w.triggers.map((t) => `${shown(project, t)} changed`))}`),
      ...(opts.prune
        ? replacedImages(observed, w.service).map((id) => summary(w.service, prunedText(id)))
        : []),
    ]);
  const others = works
    .filter((w) => !w.rebuild)
    .map((w) => {
      const containers = runningCount(observed, w.service);
      if (containers === 0) return summary(w.service, NO_CONTAINER, true);
      return summary(w.service, `${doneText(w)}${replicasText(containers)}: ${pathsText(project, w)}`);
    });
  return [...rebuilds, ...others];
}

/** `up --build --no-deps SERVICE` from `observed`, its image taken as replaced by the build. */
function rebuildSteps(project: Project, observed: ObservedState, service: string): PlannedStep[] {
  const config = project.services[service];
  if (!config) return [];
  const images = { ...observed.images, [imageOf(project, config)]: REBUILT_IMAGE };
  return planUpSteps(
    project,
    { ...observed, images },
    { services: [service], noDeps: true, build: "always" },
  );
}

/**
 * The images the service's running containers use that no other container of the project does: once
 * the rebuild has replaced those containers, `--prune` removes them.
 */
function replacedImages(observed: ObservedState, service: string): string[] {
  const own = (c: ObservedContainer) => c.service === service && !c.oneoff;
  const replaced = new Set(observed.containers.filter((c) => own(c) && isRunning(c)).map((c) => c.imageId));
  for (const c of observed.containers) if (!own(c)) replaced.delete(c.imageId);
  return [...replaced];
}

/** The summary of a service's work that is not a rebuild, as the real run words it when all goes well. */
function doneText(work: ServiceWork): string {
  const done: string[] = [];
  const total = work.copies.length + work.removes.length;
  if (total > 0) done.push(syncedText(total, work.removes.length));
  for (const exec of work.execs) done.push(ranText(exec));
  if (work.restart) done.push(RESTARTED);
  return done.join(", ");
}

/** Which host file goes to which container path, what is removed; for a rule without a target, what changed. */
function pathsText(project: Project, work: ServiceWork): string {
  const paths = [
    ...work.copies.map((c) => `${shown(project, c.hostPath)} → ${c.containerPath}`),
    ...work.removes.map((path) => `${path} removed`),
  ];
  return listed(paths.length > 0 ? paths : work.triggers.map((t) => `${shown(project, t)} changed`));
}

function listed(items: readonly string[]): string {
  const rest = items.length - SHOWN_PATHS;
  return rest > 1 ? `${items.slice(0, SHOWN_PATHS).join(", ")} and ${rest} more` : items.join(", ");
}

/** A host path as the user wrote it in the compose file: relative to the project directory when inside it. */
function shown(project: Project, path: string): string {
  const rel = relative(project.workingDir, path);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return path;
  return `./${rel.split(sep).join("/")}`;
}

/** The containers the real run would update: the service's running ones (`docker ps`), one-offs aside. */
function runningCount(observed: ObservedState, service: string): number {
  return observed.containers.filter((c) => c.service === service && !c.oneoff && isRunning(c)).length;
}

/** What `docker ps` lists without `--all`. */
function isRunning(c: ObservedContainer): boolean {
  return ["running", "paused", "restarting"].includes(c.state);
}
