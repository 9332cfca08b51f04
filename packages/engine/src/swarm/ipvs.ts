import { existsSync } from "node:fs";

/**
 * Whether this machine's kernel has IPVS, which Swarm's virtual IPs and ingress mesh need. Only
 * meaningful when the engine runs here (a local socket); a remote engine is assumed to have it.
 */
export function localKernelHasIpvs(dockerHost: string | undefined): boolean {
  const local = dockerHost === undefined || dockerHost === "" || dockerHost.startsWith("unix://");
  return !local || existsSync("/proc/net/ip_vs");
}
