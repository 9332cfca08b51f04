import type { Project } from "@berth/compose-schema";
import type Docker from "dockerode";
import { containerLogLines } from "../base/container-logs.js";
import { hostBinding, httpUrl } from "../base/readiness/ports.js";
import { down } from "../core/down.js";
import { execInService } from "../core/ops/exec.js";
import { serviceContainer } from "../core/ops/select.js";
import { unregisterTestStack } from "./cleanup.js";
import { PortNotPublishedError } from "./errors.js";
import type { TestStackEvents } from "./event-log.js";

// Node has the symbol since 20.4; earlier runtimes get one so that transpiled `await using` works.
(Symbol as { asyncDispose?: symbol }).asyncDispose ??= Symbol("Symbol.asyncDispose");

export interface PortOptions {
  protocol?: "tcp" | "udp";
  /** Container number of the service, 1 by default. */
  index?: number;
}

export interface TestStackDownOptions {
  /** Also named volumes; true by default, so that a test run leaves nothing behind. */
  volumes?: boolean;
  /** Seconds services get to stop before they are killed; 0 by default, as test stacks keep no state. */
  timeoutSeconds?: number;
}

export interface TestStackExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A running compose project started by `startTestStack`; `down()` (or `await using`) removes it. */
export class TestStack implements AsyncDisposable {
  private removed: Promise<void> | undefined;

  constructor(
    readonly docker: Docker,
    readonly project: Project,
    readonly events: TestStackEvents,
    /** `BERTH_KEEP=1`: `down()` leaves the stack for debugging. */
    readonly keep: boolean,
  ) {}

  get name(): string {
    return this.project.name;
  }

  async container(service: string, index = 1): Promise<Docker.Container> {
    return this.docker.getContainer((await serviceContainer(this.docker, this.name, service, index)).Id);
  }

  /** The host port where `containerPort` of the service is published (ephemeral ports included). */
  async port(service: string, containerPort: number, opts: PortOptions = {}): Promise<number> {
    return (await this.binding(service, containerPort, opts)).port;
  }

  /** `http://127.0.0.1:<host port>/<path>` for the service's `containerPort`. */
  async url(service: string, containerPort: number, path = "/", opts: PortOptions = {}): Promise<string> {
    return httpUrl(await this.binding(service, containerPort, opts), path);
  }

  /** The container's log so far, stdout and stderr, one string. */
  async logs(service: string, opts: { index?: number; tail?: number } = {}): Promise<string> {
    const lines = await containerLogLines(await this.container(service, opts.index), opts.tail);
    return lines.map((l) => `${l}\n`).join("");
  }

  /** Runs a command in the service's container; a string runs with `sh -c`. */
  async exec(
    service: string,
    cmd: string | string[],
    opts: { index?: number } = {},
  ): Promise<TestStackExecResult> {
    const argv = typeof cmd === "string" ? ["sh", "-c", cmd] : cmd;
    const result = await execInService(this.docker, this.name, service, argv, { index: opts.index });
    return { exitCode: result.exitCode, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
  }

  /**
   * Stops and removes the stack's containers, networks and (by default) volumes. Idempotent. After a
   * failure the stack stays registered, so that the exit handler tries again.
   */
  down(opts: TestStackDownOptions = {}): Promise<void> {
    if (this.keep) {
      process.stderr.write(`berth: BERTH_KEEP=1, keeping stack ${this.name}\n`);
      return Promise.resolve();
    }
    this.removed ??= down(
      this.docker,
      this.name,
      {
        project: this.project,
        volumes: opts.volumes ?? true,
        removeOrphans: true,
        timeoutSeconds: opts.timeoutSeconds ?? 0,
      },
      this.events.record,
    ).then(() => unregisterTestStack(this.name));
    return this.removed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.down();
  }

  private async binding(service: string, containerPort: number, opts: PortOptions) {
    const index = opts.index ?? 1;
    const info = await (await this.container(service, index)).inspect();
    const binding = hostBinding(info, containerPort, opts.protocol);
    if (!binding)
      throw new PortNotPublishedError(service, `${containerPort}/${opts.protocol ?? "tcp"}`, index);
    return binding;
  }
}
