import type { ServiceConfig, ServicePortConfig, ServiceVolumeConfig } from "@berth/compose-schema";
import { EngineError } from "../../base/errors.js";

export class InvalidPublishError extends EngineError {
  constructor(readonly spec: string) {
    super("INVALID_PUBLISH", `invalid port ${spec}: expected [[ip:]host-port:]container-port[/protocol]`);
  }
}

export interface OneOffOverrides {
  command?: string[];
  entrypoint?: string[];
  env?: Record<string, string>;
  /** `--publish`: `[[ip:]host-port:]container-port[/protocol]`. */
  publish?: string[];
  /** `--service-ports`: keep the service's `ports:` (dropped otherwise, as compose does). */
  servicePorts?: boolean;
  tty?: boolean;
  interactive?: boolean;
  volumes?: ServiceVolumeConfig[];
  user?: string;
  workdir?: string;
  labels?: Record<string, string>;
}

/** `-p 8080:80/udp`, `-p 127.0.0.1:8080:80`, `-p 80`. */
export function parsePublish(spec: string): ServicePortConfig {
  const [addr, protocol = "tcp"] = spec.split("/");
  const parts = addr.split(":");
  const target = Number(parts.at(-1));
  if (!Number.isInteger(target) || target <= 0 || parts.length > 3) throw new InvalidPublishError(spec);
  const port: ServicePortConfig = { target, protocol, mode: "ingress" };
  if (parts.length >= 2 && parts.at(-2) !== "") port.published = parts.at(-2);
  if (parts.length === 3 && parts[0] !== "") port.host_ip = parts[0];
  return port;
}

/**
 * The service as a one-off container runs it: the `run` options over the service's config, no
 * `container_name`, no restart policy, and ports only when asked for.
 */
export function oneOffService(service: ServiceConfig, o: OneOffOverrides): ServiceConfig {
  const { container_name: _name, restart: _restart, ...rest } = service;
  const ports = [...(o.servicePorts ? (service.ports ?? []) : []), ...(o.publish ?? []).map(parsePublish)];
  const deploy = service.deploy ? { ...service.deploy, restart_policy: undefined } : undefined;
  return {
    ...rest,
    ...(deploy ? { deploy } : {}),
    ports: ports.length ? ports : undefined,
    ...(o.command ? { command: o.command } : {}),
    ...(o.entrypoint ? { entrypoint: o.entrypoint } : {}),
    ...(o.env ? { environment: { ...service.environment, ...o.env } } : {}),
    ...(o.volumes?.length ? { volumes: [...(service.volumes ?? []), ...o.volumes] } : {}),
    ...(o.user !== undefined ? { user: o.user } : {}),
    ...(o.workdir !== undefined ? { working_dir: o.workdir } : {}),
    ...(o.labels ? { labels: { ...service.labels, ...o.labels } } : {}),
    ...(o.tty !== undefined ? { tty: o.tty } : {}),
    ...(o.interactive !== undefined ? { stdin_open: o.interactive } : {}),
  };
}
