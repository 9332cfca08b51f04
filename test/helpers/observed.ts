import type { ServiceConfig } from "@berth/compose-schema";
import { type ObservedContainer, serviceConfigHash } from "@berth/engine";

/**
 * A service container as `observeProject` reports it, for planner tests that need no engine: running,
 * made from the service's current config (so nothing makes a plan recreate it), with what `over` sets.
 */
export function observedContainer(
  project: string,
  svc: ServiceConfig,
  number: number,
  over: Partial<ObservedContainer> = {},
): ObservedContainer {
  return {
    id: `${svc.name}${number}`,
    name: `${project}-${svc.name}-${number}`,
    service: svc.name,
    number,
    oneoff: false,
    hook: false,
    state: "running",
    imageId: "sha256:img",
    image: svc.image ?? "",
    configHash: serviceConfigHash(svc),
    labels: {},
    volumes: [],
    networks: [],
    ...over,
  };
}
