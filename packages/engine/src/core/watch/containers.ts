import type Docker from "dockerode";
import { Labels } from "../../base/labels.js";
import { projectContainers } from "../ops/select.js";

/** Engine events after which a service's running containers may be others. */
const CHANGES = [
  "create",
  "start",
  "restart",
  "die",
  "destroy",
  "stop",
  "kill",
  "pause",
  "unpause",
  "rename",
];

/**
 * The running containers of each watched service, listed once and kept until the engine reports a
 * container of the project starting, stopping or going away: listing takes 100–200 ms on a busy engine,
 * more than the rest of a one-file sync. Without the event stream (it failed), every call lists.
 */
export class ServiceContainers {
  private readonly cache = new Map<string, Promise<Docker.ContainerInfo[]>>();
  private events: NodeJS.ReadableStream | undefined;
  private live = false;

  constructor(
    private readonly docker: Docker,
    private readonly projectName: string,
  ) {}

  async start(): Promise<void> {
    const stream = (await this.docker.getEvents({
      filters: { type: ["container"], event: CHANGES, label: [`${Labels.project}=${this.projectName}`] },
    })) as NodeJS.ReadableStream;
    this.events = stream;
    this.live = true;
    stream.on("data", () => this.cache.clear());
    const stop = () => {
      this.live = false;
      this.cache.clear();
    };
    stream.on("error", stop);
    stream.on("end", stop);
  }

  running(service: string): Promise<Docker.ContainerInfo[]> {
    if (!this.live) return this.list(service);
    let containers = this.cache.get(service);
    if (!containers) {
      containers = this.list(service);
      this.cache.set(service, containers);
      // A failed listing is not kept.
      containers.catch(() => this.cache.delete(service));
    }
    return containers;
  }

  /** After our own restart or recreate: the events will say so too, but maybe after the next burst. */
  forget(service: string): void {
    this.cache.delete(service);
  }

  close(): void {
    this.live = false;
    (this.events as { destroy?: () => void } | undefined)?.destroy?.();
  }

  private list(service: string): Promise<Docker.ContainerInfo[]> {
    return projectContainers(this.docker, this.projectName, { services: [service] });
  }
}
