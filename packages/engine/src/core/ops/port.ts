import type Docker from "dockerode";
import { serviceContainer } from "./select.js";

export interface PublishedPort {
  hostIp: string;
  hostPort: number;
}

/**
 * `port`: where the host publishes a service container's port, or undefined when it is not published.
 * Prefers an IPv4 binding, as compose prints one address.
 */
export async function publishedPort(
  docker: Docker,
  projectName: string,
  service: string,
  privatePort: number,
  opts: { protocol?: string; index?: number } = {},
): Promise<PublishedPort | undefined> {
  const info = await serviceContainer(docker, projectName, service, opts.index ?? 1);
  const inspect = await docker.getContainer(info.Id).inspect();
  const bindings = inspect.NetworkSettings.Ports?.[`${privatePort}/${opts.protocol ?? "tcp"}`] ?? [];
  const binding = bindings.find((b) => !b.HostIp.includes(":")) ?? bindings[0];
  return binding ? { hostIp: binding.HostIp, hostPort: Number(binding.HostPort) } : undefined;
}
