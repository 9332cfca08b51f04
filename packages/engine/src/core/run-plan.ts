import type { Project } from "@berth/compose-schema";
import { NoSuchServiceError } from "../base/errors.js";
import { ServiceGraph } from "../base/graph.js";
import { Labels } from "../base/labels.js";
import { oneOffContainerName } from "../base/names.js";
import type { ObservedState } from "../base/observe.js";
import { type ContainerSpec, containerSpec } from "./container-spec.js";
import { type OneOffOverrides, oneOffService } from "./ops/run-config.js";
import { type Plan, planFiles, planUp, servicesInScope, specContext } from "./plan.js";

export interface RunPlanOptions extends OneOffOverrides {
  /** Only the one-off container: its dependencies are neither created nor started (`--no-deps`). */
  noDeps?: boolean;
  /** The random part of the one-off's name, also its `com.docker.compose.slug` label. */
  slug: string;
  /** `--name`, over the generated name. */
  name?: string;
  /** `--rm`: removed when it exits (by the engine when detached, by `run` after it when attached). */
  rm?: boolean;
  /** `-d`: started by the executor; otherwise `run` attaches to it, then starts it. */
  detach?: boolean;
  /** Standard input is attached: `-i` with an input to read. */
  attachStdin?: boolean;
}

/** The create spec of the one-off: the service's, named and labelled as a one-off, attached as asked. */
function oneOffSpec(spec: ContainerSpec, name: string, opts: RunPlanOptions): ContainerSpec {
  const stdin = Boolean(opts.attachStdin);
  return {
    ...spec,
    name,
    options: {
      ...spec.options,
      name,
      Labels: { ...spec.options.Labels, [Labels.oneoff]: "True", [Labels.slug]: opts.slug },
      AttachStdin: stdin,
      AttachStdout: !opts.detach,
      AttachStderr: !opts.detach,
      OpenStdin: stdin,
      StdinOnce: stdin,
      HostConfig: { ...spec.options.HostConfig, AutoRemove: Boolean(opts.rm && opts.detach) },
    },
  };
}

/**
 * `run SERVICE`: `up`'s plan of the service's dependencies (none with `noDeps`) and of the networks and
 * volumes it needs, with the service's own containers left as they are and one action in their place:
 * the one-off container, created once its dependencies meet their conditions. Pure.
 */
export function planRun(
  project: Project,
  observed: ObservedState,
  service: string,
  opts: RunPlanOptions,
): Plan {
  const base = project.services[service];
  if (!base) throw new NoSuchServiceError(service);
  const plan = planUp(project, observed, { services: [service], noDeps: opts.noDeps });
  const scope = servicesInScope(project, new ServiceGraph(project), {
    services: [service],
    noDeps: opts.noDeps,
  });
  const deps = plan.services.filter((s) => s.service !== service);
  const own = plan.services.find((s) => s.service === service);
  const context = specContext(project, observed, oneOffService(base, opts), deps, planFiles(project, scope));
  const name = opts.name ?? oneOffContainerName(project.name, service, opts.slug);
  const spec = oneOffSpec(containerSpec({ ...context, number: 1 }), name, opts);
  const action = {
    type: "run",
    service,
    name,
    reason: "one-off container",
    spec,
    detach: Boolean(opts.detach),
    remove: Boolean(opts.rm),
  } as const;
  return {
    ...plan,
    services: [...deps, { service, replicas: 1, actions: [action], after: own?.after ?? [] }],
    orphans: [],
  };
}
