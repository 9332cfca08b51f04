import type { Project, ServiceConfig } from "@berth/compose-schema";
import type Docker from "dockerode";
import { byteOrder } from "../base/byte-order.js";
import { engineMessage, statusCode } from "../base/engine-response.js";
import {
  AbortedError,
  DependencyFailedError,
  EngineError,
  EngineErrorCodes,
  HealthcheckFailedError,
  PortInUseError,
  ResourceFailedError,
  ServiceFailedError,
} from "../base/errors.js";
import type { EngineEvent } from "../base/events.js";
import type { Dependency } from "../base/graph.js";
import type { ObservedContainer, ObservedState } from "../base/observe.js";
import { type WorkerPool, workerPool } from "../base/parallel.js";
import { healthyProbe, successfulExitProbe } from "../base/readiness/probes.js";
import { waitUntilReady } from "../base/readiness/wait.js";
import { runScheduled, schedule } from "../base/schedule.js";
import {
  adoptContainer,
  createNetworkShared,
  isNameConflict,
  isStaleTask,
  retryOnNetworkRace,
} from "./concurrent.js";
import { type ContainerSpec, type Pending, substitutePending } from "./container-spec.js";
import { fileObjectDir, writeFileObjects } from "./file-objects.js";
import type { ContainerAction, Plan, ServicePlan } from "./plan.js";
import { runPreStart, runsPreStart } from "./pre-start.js";

export type Emit = (event: EngineEvent) => void;

export interface ApplyOptions {
  /** Container operations at once. */
  parallel: number;
  signal?: AbortSignal;
}

export interface RunningContainer {
  id: string;
  name: string;
}

/** Stops a container; one already stopped is fine. */
export async function stopContainer(docker: Docker, id: string, timeout?: number): Promise<void> {
  try {
    await docker.getContainer(id).stop(timeout === undefined ? {} : { t: timeout });
  } catch (err) {
    if (statusCode(err) !== 304) throw err;
  }
}

/** The engine rejects a busy host port only at start; say which port in Berth's words. */
function portError(service: string, err: unknown): Error | undefined {
  const msg = engineMessage(err);
  const m =
    /Bind for [^ ]*?:(\d+) failed: port is already allocated/.exec(msg) ??
    /listen (?:tcp|udp)[46]? [^ ]*?:(\d+): bind: address already in use/.exec(msg);
  return m ? new PortInUseError(service, m[1], { cause: err }) : undefined;
}

/** Applies a plan: networks and volumes, then each service as soon as its dependencies are ready. */
export class Executor {
  private readonly pool: WorkerPool;
  private failure: { service: string; error: Error } | undefined;
  private readonly conditions = new Map<string, Promise<void>>();
  /** Containers per service after this run: what the plan kept plus what it created. */
  readonly containers = new Map<string, RunningContainer[]>();

  constructor(
    private readonly docker: Docker,
    private readonly project: Project,
    private readonly observed: ObservedState,
    private readonly opts: ApplyOptions,
    private readonly emit: Emit,
  ) {
    this.pool = workerPool({ limit: opts.parallel });
  }

  async apply(plan: Plan): Promise<void> {
    if (this.opts.signal?.aborted) throw new AbortedError("up");
    await Promise.all(
      plan.networks.map(({ config, spec }) =>
        this.pool.run(() => this.resource("network", config.name, () => this.createNetwork(spec))),
      ),
    );
    await Promise.all(
      plan.volumes.map(({ config, spec }) =>
        this.pool.run(() => this.resource("volume", config.name, () => this.createVolume(spec))),
      ),
    );
    await this.writeFileObjects(plan);
    await Promise.all(
      plan.orphans.map(({ container, stopTimeout }) =>
        this.pool.run(() => this.removeContainer(container, stopTimeout)),
      ),
    );

    const plans = new Map(plan.services.map((sp) => [sp.service, sp]));
    const edges = new Map(plan.services.map((sp) => [sp.service, sp.after.map((d) => d.on)]));
    const order = schedule([...plans.keys()], edges, "dependencies-first");
    try {
      await runScheduled(order, (service) => this.runService(plans.get(service) as ServicePlan, plan.start), {
        wait: (service, on, done) => this.dependency(plans.get(service) as ServicePlan, on, done, plan.start),
        failed: (service, error) => this.serviceFailed(service, error as Error),
      });
    } catch {
      // Reported below as this.failure: the first failure in time, an unmet condition blamed on its service.
    }
    if (this.opts.signal?.aborted) throw new AbortedError("up");
    if (this.failure) {
      const { service, error } = this.failure;
      if (error instanceof ServiceFailedError || error instanceof AbortedError) throw error;
      throw new ServiceFailedError(service, error.message, {
        cause: error,
        detail: error instanceof EngineError ? error.detail : undefined,
      });
    }
  }

  /** Waits for a dependency's run and then, when starting, for its condition; a failure is the dependent's. */
  private async dependency(sp: ServicePlan, on: string, done: Promise<void>, start: boolean): Promise<void> {
    try {
      await done;
      const dep = sp.after.find((d) => d.on === on);
      if (start && dep) await this.condition(dep);
    } catch (err) {
      if (err instanceof AbortedError) throw err;
      throw new DependencyFailedError(sp.service, on, (err as Error).message);
    }
  }

  private serviceFailed(service: string, error: Error): void {
    this.fail(service, error);
    // Ctrl-C is not the service's failure: the CLI says what it does next.
    if (error instanceof AbortedError) return;
    this.event({
      kind: "service",
      name: service,
      service,
      action: "Error",
      status: "error",
      detail: error.message,
      error,
    });
  }

  private fail(service: string, error: Error): void {
    if (!this.failure) this.failure = { service, error };
  }

  private event(e: Omit<EngineEvent, "elapsedMs">): void {
    this.emit(e as EngineEvent);
  }

  private checkContinue(): void {
    if (this.opts.signal?.aborted) {
      this.fail("", new AbortedError("up"));
      throw new AbortedError("up");
    }
    // Once something failed, nothing new starts; work in flight finishes.
    if (this.failure)
      throw new EngineError(EngineErrorCodes.notStarted, `not started: ${this.failure.service} failed`);
  }

  private async resource(
    kind: "network" | "volume",
    name: string,
    create: () => Promise<void>,
  ): Promise<void> {
    try {
      await create();
    } catch (err) {
      const error = new ResourceFailedError(kind, name, engineMessage(err), { cause: err });
      this.event({ kind, name, action: "Error", status: "error", detail: error.message, error });
      throw error;
    }
  }

  /** The engine names of the networks this project creates (not external ones). */
  private ownNetworks(): string[] {
    return Object.values(this.project.networks)
      .filter((n) => !n.external)
      .map((n) => n.name);
  }

  private async createNetwork(spec: Docker.NetworkCreateOptions): Promise<void> {
    this.event({ kind: "network", name: spec.Name, action: "Creating", status: "working" });
    await createNetworkShared(this.docker, spec);
    this.event({ kind: "network", name: spec.Name, action: "Created", status: "done" });
  }

  private async createVolume(spec: Docker.VolumeCreateOptions): Promise<void> {
    const name = spec.Name as string;
    this.event({ kind: "volume", name, action: "Creating", status: "working" });
    await this.docker.createVolume(spec);
    this.event({ kind: "volume", name, action: "Created", status: "done" });
  }

  /** Secrets and configs given as `environment` or `content` become files in a project-private directory. */
  private async writeFileObjects(plan: Plan): Promise<void> {
    // Content, mode and owner of secrets and configs: file-objects.ts; the plan's specs mount them.
    const services = plan.services.map((s) => s.service);
    await writeFileObjects(this.project, services, fileObjectDir(this.project.name));
  }

  private async runService(sp: ServicePlan, start: boolean): Promise<void> {
    const service = this.project.services[sp.service];
    this.checkContinue();
    const running: RunningContainer[] = [];
    this.containers.set(sp.service, running);
    // pre_start hooks run between creating the service's containers and starting them.
    const preStart = start && runsPreStart(service, sp.actions);
    const toStart: { number: number; container: RunningContainer; spec: ContainerSpec }[] = [];
    await Promise.all(
      sp.actions.map(async (action) => {
        const result = await this.runAction(service, action, start && !preStart);
        if (result) running.push(result);
        if (!result || !preStart) return;
        // The spec the container was made from (a kept, stopped one's alike: same service, same number).
        if (action.type === "create" || action.type === "recreate")
          toStart.push({ number: action.number, container: result, spec: action.spec });
        else if (action.type === "start")
          toStart.push({
            number: action.container.number,
            container: result,
            spec: action.replaceIfStale.spec,
          });
      }),
    );
    // A service's containers differ only in their trailing number: shorter first is numeric order.
    running.sort((a, b) => a.name.length - b.name.length || byteOrder(a.name, b.name));
    if (preStart) await this.preStartThenStart(service, toStart);
  }

  /** As compose: the hooks prepare the lowest-numbered container (its volumes), then all start. */
  private async preStartThenStart(
    service: ServiceConfig,
    toStart: { number: number; container: RunningContainer; spec: ContainerSpec }[],
  ): Promise<void> {
    const [first] = [...toStart].sort((a, b) => a.number - b.number);
    if (!first) return;
    this.checkContinue();
    const base = { kind: "container", name: first.container.name, service: service.name } as const;
    this.event({ ...base, action: "Running pre_start", status: "working" });
    try {
      const spec = { ...first.spec, options: await this.resolve(first.spec), pending: [] };
      await runPreStart(
        this.docker,
        this.project,
        service,
        { id: first.container.id, spec },
        (id, extra) => this.connectExtra(id, extra),
        this.opts.signal,
      );
    } catch (err) {
      if (err instanceof AbortedError) throw err;
      const message = engineMessage(err);
      this.event({ ...base, action: "Error", status: "error", detail: message, error: err as Error });
      throw err instanceof EngineError
        ? err
        : new ServiceFailedError(service.name, `pre_start: ${message}`, { cause: err });
    }
    this.event({ ...base, action: "Ran pre_start", status: "done" });
    await Promise.all(
      toStart.map(({ container }) =>
        this.pool.run(async () => {
          this.checkContinue();
          await this.start(service, container.id, container.name);
        }),
      ),
    );
  }

  /** With `start` false, containers are only created: the caller starts them after the pre_start hooks. */
  private async runAction(
    service: ServiceConfig,
    action: ContainerAction,
    start: boolean,
  ): Promise<RunningContainer | undefined> {
    if (action.type === "keep") {
      const c = action.container;
      this.event({
        kind: "container",
        name: c.name,
        service: c.service,
        action: action.shown,
        status: "skipped",
      });
      return { id: c.id, name: c.name };
    }
    return this.pool.run(async () => {
      this.checkContinue();
      switch (action.type) {
        case "start":
          if (!start) return { id: action.container.id, name: action.container.name };
          try {
            await this.start(service, action.container.id, action.container.name);
          } catch (err) {
            if (!isStaleTask(err)) throw err;
            const { reason, spec } = action.replaceIfStale;
            await this.docker.getContainer(action.container.id).remove({ force: true });
            const created = await this.create(service, spec, "Recreate", "Recreated", reason);
            await this.start(service, created.id, created.name);
            return created;
          }
          return { id: action.container.id, name: action.container.name };
        case "create": {
          const created = await this.create(service, action.spec, "Creating", "Created");
          // After Ctrl-C nothing more starts; the CLI stops or leaves what already runs.
          if (this.opts.signal?.aborted) throw new AbortedError("up");
          if (start) await this.start(service, created.id, created.name);
          return created;
        }
        case "recreate": {
          const created = await this.recreate(service, action);
          if (this.opts.signal?.aborted) throw new AbortedError("up");
          if (start) await this.start(service, created.id, created.name);
          return created;
        }
        case "run": {
          const created = await this.create(service, action.spec, "Creating", "Created");
          if (this.opts.signal?.aborted) throw new AbortedError("up");
          // Attached, `run` starts it once it has attached to its output.
          if (action.detach) await this.start(service, created.id, created.name);
          return created;
        }
        case "restart":
          await this.restart(service, action.container, action.reason, action.stopTimeout);
          return { id: action.container.id, name: action.container.name };
        case "remove":
          await this.removeContainer(action.container, action.stopTimeout);
          return undefined;
      }
    });
  }

  private async create(
    service: ServiceConfig,
    spec: ContainerSpec,
    working: string,
    done: string,
    detail?: string,
  ): Promise<RunningContainer> {
    const base = { kind: "container", name: spec.name, service: service.name } as const;
    this.event({ ...base, action: working, status: "working", detail });
    try {
      const options = await this.resolve(spec);
      const container = await retryOnNetworkRace(this.docker, this.ownNetworks(), async () => {
        try {
          return await this.docker.createContainer(options);
        } catch (err) {
          // Another process converging the same project made this very container first: use it.
          const adopted = isNameConflict(err)
            ? await adoptContainer(this.docker, spec.name, options.Labels ?? {})
            : undefined;
          if (!adopted) throw err;
          return this.docker.getContainer(adopted.id);
        }
      });
      for (const extra of spec.extraNetworks) await this.connectExtra(container.id, extra);
      this.event({ ...base, action: done, status: "done", detail });
      return { id: container.id, name: spec.name };
    } catch (err) {
      const message = engineMessage(err);
      this.event({ ...base, action: "Error", status: "error", detail: message, error: err as Error });
      throw new ServiceFailedError(service.name, `creating container ${spec.name}: ${message}`, {
        cause: err,
      });
    }
  }

  /** The create options with the spec's placeholders filled in: IDs of what this run made or pulled. */
  private async resolve(spec: ContainerSpec): Promise<Docker.ContainerCreateOptions> {
    const values = await Promise.all(spec.pending.map(({ value }) => this.pendingValue(value)));
    return substitutePending(spec, values);
  }

  private async pendingValue(value: Pending): Promise<string> {
    if (value.pending === "image") return (await this.docker.getImage(value.reference).inspect()).Id;
    const made = this.containers.get(value.service)?.find((c) => c.name === value.name);
    // The plan orders a container after those it refers to: a missing one failed before it.
    if (!made) throw new EngineError(EngineErrorCodes.notStarted, `not started: ${value.name} was not made`);
    return made.id;
  }

  /** Joins a network beyond the first (the create call takes one). */
  private async connectExtra(id: string, extra: ContainerSpec["extraNetworks"][number]): Promise<void> {
    await retryOnNetworkRace(this.docker, this.ownNetworks(), async () => {
      try {
        await this.docker
          .getNetwork(extra.network)
          .connect({ Container: id, EndpointConfig: extra.endpoint });
      } catch (err) {
        // Already connected: by the other creator of an adopted container.
        if (!/already exists in network/.test(engineMessage(err))) throw err;
      }
    });
  }

  private async start(service: ServiceConfig, id: string, name: string): Promise<void> {
    const base = { kind: "container", name, service: service.name } as const;
    this.event({ ...base, action: "Starting", status: "working" });
    try {
      await retryOnNetworkRace(this.docker, this.ownNetworks(), () => this.docker.getContainer(id).start());
    } catch (err) {
      if (statusCode(err) === 304) return this.event({ ...base, action: "Started", status: "done" });
      const error = portError(service.name, err) ?? err;
      const message = engineMessage(error);
      this.event({ ...base, action: "Error", status: "error", detail: message, error: error as Error });
      throw error instanceof EngineError
        ? error
        : new ServiceFailedError(service.name, `starting container ${name}: ${message}`, { cause: err });
    }
    this.event({ ...base, action: "Started", status: "done" });
  }

  /** As compose: stop the old one, move it aside, create the new one under the same name, remove the old. */
  private async recreate(
    service: ServiceConfig,
    action: ContainerAction & { type: "recreate" },
  ): Promise<RunningContainer> {
    const { container: old, reason } = action;
    const base = { kind: "container", name: old.name, service: service.name } as const;
    this.event({ ...base, action: "Recreate", status: "working", detail: reason });
    const previous = this.docker.getContainer(old.id);
    await stopContainer(this.docker, old.id, action.stopTimeout);
    await previous.rename({ name: `${old.id.slice(0, 12)}_${old.name}` });
    const created = await this.create(service, action.spec, "Recreate", "Recreated", reason);
    await previous.remove({ force: true });
    return created;
  }

  private async restart(
    service: ServiceConfig,
    c: ObservedContainer,
    reason: string,
    timeout: number | undefined,
  ): Promise<void> {
    const base = { kind: "container", name: c.name, service: service.name } as const;
    this.event({ ...base, action: "Restarting", status: "working", detail: reason });
    await stopContainer(this.docker, c.id, timeout);
    await this.docker.getContainer(c.id).start();
    this.event({ ...base, action: "Restarted", status: "done", detail: reason });
  }

  private async removeContainer(c: ObservedContainer, timeout: number | undefined): Promise<void> {
    const base = { kind: "container", name: c.name, service: c.service } as const;
    this.event({ ...base, action: "Stopping", status: "working" });
    await stopContainer(this.docker, c.id, timeout);
    this.event({ ...base, action: "Stopped", status: "progress" });
    this.event({ ...base, action: "Removing", status: "working" });
    await this.docker.getContainer(c.id).remove({ force: true });
    this.event({ ...base, action: "Removed", status: "done" });
  }

  /** Resolves once every container of `dep.on` meets `dep.condition`; computed once per pair. */
  private condition(dep: Dependency): Promise<void> {
    if (dep.condition === "service_started") return Promise.resolve();
    const key = `${dep.on}:${dep.condition}`;
    let pending = this.conditions.get(key);
    if (!pending) {
      pending = Promise.all(
        (this.containers.get(dep.on) ?? []).map((c) => this.waitContainer(dep.on, c, dep.condition)),
      ).then(() => undefined);
      this.conditions.set(key, pending);
    }
    return pending;
  }

  private async waitContainer(
    service: string,
    c: RunningContainer,
    condition: Dependency["condition"],
  ): Promise<void> {
    const base = { kind: "container", name: c.name, service } as const;
    this.event({ ...base, action: "Waiting", status: "working" });
    const container = this.docker.getContainer(c.id);
    const signal = this.opts.signal;
    const outcome = await waitUntilReady(
      container,
      condition === "service_healthy" ? healthyProbe : successfulExitProbe,
      { signal },
    );
    if (outcome.ready) {
      this.event({ ...base, action: condition === "service_healthy" ? "Healthy" : "Exited", status: "done" });
      return;
    }
    const error =
      condition === "service_healthy"
        ? new HealthcheckFailedError(service, c.name, outcome.output ?? outcome.fatal ?? outcome.state)
        : new ServiceFailedError(service, `container ${c.name} ${outcome.fatal ?? outcome.state}`);
    this.event({ ...base, action: "Error", status: "error", detail: error.message, error });
    this.fail(service, error);
    throw error;
  }
}
