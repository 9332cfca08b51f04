import { type Project, findCycle } from "@berth/compose-schema";
import { ServiceContextError } from "./errors.js";

export type ContextSource =
  | { kind: "service"; service: string }
  | { kind: "image"; image: string }
  | { kind: "local"; path: string };

/**
 * What an `additional_contexts` value names. The loader of compose v2.23 resolves every value as a path,
 * so `service:api` arrives as `<project dir>/service:api`; both spellings are read.
 */
export function contextSource(value: string): ContextSource {
  const service = /(?:^|\/)service:([^/]+)$/.exec(value);
  if (service) return { kind: "service", service: service[1] };
  const image = /(?:^|\/)docker-image:\/\/?(.+)$/.exec(value);
  if (image) return { kind: "image", image: image[1] };
  return { kind: "local", path: value };
}

/** The services whose images a service's build reads through `additional_contexts: service:NAME`. */
export function serviceContexts(project: Project, name: string): string[] {
  const contexts = project.services[name]?.build?.additional_contexts ?? {};
  return Object.values(contexts).flatMap((v) => {
    const source = contextSource(v);
    return source.kind === "service" ? [source.service] : [];
  });
}

/**
 * Every build that the builds of `serviceNames` need, each → the services whose images it reads
 * (`service:NAME`): the services named that build, and every service their builds read, even when not
 * asked for. The order of the builds is `schedule`'s (the image plan); a cycle could never be built, so
 * it is refused here, before anything is built, as a context naming no service that builds.
 */
export function buildReads(project: Project, serviceNames: readonly string[]): Map<string, string[]> {
  const reads = new Map<string, string[]>();
  const pending = serviceNames.filter((name) => project.services[name]?.build);
  for (let name = pending.shift(); name !== undefined; name = pending.shift()) {
    if (reads.has(name)) continue;
    const read = serviceContexts(project, name);
    for (const dep of read)
      if (!project.services[dep]?.build)
        throw new ServiceContextError(name, `service:${dep} names no service that builds an image`);
    reads.set(name, read);
    pending.push(...read);
  }
  const cycle = findCycle(reads);
  if (cycle.length > 0) {
    // The last edge closes the cycle: that service's context is the one to blame.
    const [reader, read] = cycle.slice(-2);
    throw new ServiceContextError(reader, `service:${read} makes a cycle of builds (${cycle.join(" -> ")})`);
  }
  return reads;
}
