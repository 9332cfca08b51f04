import type { Project, ServiceConfig } from "@berth/compose-schema";
import type { UnsupportedIssue } from "./errors.js";

export interface SwarmCheck {
  /** Settings Swarm cannot honour: deploying stops before anything is created. */
  errors: UnsupportedIssue[];
  /** Settings Swarm honours differently from `berth up`. */
  warnings: UnsupportedIssue[];
}

/** Container-only keys: Swarm has no equivalent, so running the service without them would lie. */
const CONTAINER_ONLY: readonly (keyof ServiceConfig)[] = [
  "network_mode",
  "links",
  "volumes_from",
  "privileged",
  "devices",
  "container_name",
];

function present(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** What Swarm cannot do with this project, found before anything is created. Pure. */
export function checkSwarmSupport(project: Project): SwarmCheck {
  const errors: UnsupportedIssue[] = [];
  const warnings: UnsupportedIssue[] = [];
  for (const service of Object.values(project.services)) {
    const name = service.name;
    if (service.build && !service.image) {
      errors.push({
        service: name,
        key: "build",
        message: "Swarm cannot build images: build and tag it first, and give the service an image",
      });
    }
    for (const key of CONTAINER_ONLY) {
      if (present(service[key])) {
        errors.push({ service: name, key, message: "not supported by Swarm services" });
      }
    }
    if (service.depends_on && Object.keys(service.depends_on).length > 0) {
      warnings.push({
        service: name,
        key: "depends_on",
        message: "ignored: Swarm starts services independently, make the service retry its dependencies",
      });
    }
    const endpointMode = service.deploy?.endpoint_mode ?? "vip";
    for (const port of service.ports ?? []) {
      if (port.published?.includes("-")) {
        errors.push({
          service: name,
          key: "ports",
          message: `published port range ${port.published} is not supported by Swarm: publish single ports`,
        });
      }
      if (endpointMode === "dnsrr" && (port.mode ?? "ingress") === "ingress") {
        errors.push({
          service: name,
          key: "ports",
          message: `port ${port.target} uses the ingress routing mesh, which endpoint_mode: dnsrr cannot use: set mode: host`,
        });
      }
    }
    for (const volume of service.volumes ?? []) {
      if (volume.type === "bind") {
        warnings.push({
          service: name,
          key: "volumes",
          message: `bind mount ${volume.source} is read on whichever node runs the task: it must exist on every node`,
        });
      }
    }
  }
  return { errors, warnings };
}

/**
 * Without IPVS in the kernel the engine cannot give services a virtual IP nor route the ingress mesh;
 * one warning naming the services that rely on them, or none.
 */
export function ipvsWarning(project: Project, hasIpvs: boolean): UnsupportedIssue | undefined {
  if (hasIpvs) return undefined;
  const affected = Object.values(project.services)
    .filter(
      (s) =>
        (s.deploy?.endpoint_mode ?? "vip") === "vip" ||
        (s.ports ?? []).some((p) => (p.mode ?? "ingress") === "ingress"),
    )
    .map((s) => s.name);
  if (affected.length === 0) return undefined;
  return {
    key: "deploy.endpoint_mode",
    message: `the kernel has no IPVS, so service virtual IPs and the ingress routing mesh do not work (services: ${affected.join(", ")}): use endpoint_mode: dnsrr and ports with mode: host`,
  };
}
