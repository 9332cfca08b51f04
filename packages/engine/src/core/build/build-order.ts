import type { Project } from "@berth/compose-schema";
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
 * The builds to run, in waves: a service whose build reads another's image (`service:NAME`) comes in a
 * wave after it, and that service is built even when not asked for. Pure; each wave runs in parallel.
 */
export function buildWaves(project: Project, serviceNames: readonly string[]): string[][] {
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (name: string, from?: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name))
      throw new ServiceContextError(from ?? name, `service:${name} makes a cycle of builds`);
    const service = project.services[name];
    if (!service?.build)
      throw new ServiceContextError(from ?? name, `service:${name} names no service that builds an image`);
    visiting.add(name);
    const level = Math.max(-1, ...serviceContexts(project, name).map((dep) => visit(dep, name))) + 1;
    visiting.delete(name);
    depth.set(name, level);
    return level;
  };
  for (const name of serviceNames) if (project.services[name]?.build) visit(name);
  const waves: string[][] = [];
  for (const [name, level] of depth) waves[level] = [...(waves[level] ?? []), name];
  return waves;
}
