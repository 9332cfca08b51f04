import type Docker from "dockerode";

export interface HostBinding {
  /** Address to connect to from this host: the wildcard binding becomes the loopback address. */
  host: string;
  port: number;
}

/** Where the host publishes `containerPort` of an inspected container; IPv4 first, as compose prints. */
export function hostBinding(
  info: Docker.ContainerInspectInfo,
  containerPort: number,
  protocol = "tcp",
): HostBinding | undefined {
  const bindings = info.NetworkSettings.Ports?.[`${containerPort}/${protocol}`] ?? [];
  const binding = bindings.find((b) => !b.HostIp.includes(":")) ?? bindings[0];
  if (!binding?.HostPort) return undefined;
  const wildcard = binding.HostIp === "" || binding.HostIp === "0.0.0.0" || binding.HostIp === "::";
  return { host: wildcard ? "127.0.0.1" : binding.HostIp, port: Number(binding.HostPort) };
}

export function httpUrl(binding: HostBinding, path: string): string {
  const host = binding.host.includes(":") ? `[${binding.host}]` : binding.host;
  return `http://${host}:${binding.port}${path.startsWith("/") ? path : `/${path}`}`;
}
