import type { Project, ServiceConfig } from "@berth/compose-schema";
import { ImageNotFoundError } from "../base/errors.js";
import {
  type BuildOption,
  type ImageAction,
  type PullOption,
  decideImageAction,
  serviceImage,
} from "./image-policy.js";

export interface ImageStep {
  image: string;
  service: string;
  action: Exclude<ImageAction, "none" | "missing">;
  reason: string;
}

function reasonFor(
  service: ServiceConfig,
  action: ImageStep["action"],
  present: boolean,
  opts: ImagePlanOptions,
): string {
  const pulls =
    opts.pull === "always"
      ? "--pull always"
      : service.pull_policy === "always"
        ? "pull_policy: always"
        : undefined;
  const why = present ? undefined : "not present";
  if (action === "pull") return pulls ?? why ?? "pull";
  if (action === "pull-then-build") return `${pulls ?? why}; built if the pull fails`;
  if (opts.build === "always") return "--build";
  return service.pull_policy === "build" ? "pull_policy: build" : (why ?? "build");
}

export interface ImagePlanOptions {
  pull?: PullOption;
  build?: BuildOption;
}

/**
 * What `up` pulls or builds before it creates containers, one step per image (a service that builds it
 * wins over one that only uses it), decided as `ensureImages` decides (`decideImageAction`) from the
 * images present. Throws for an image that is absent and may be neither pulled nor built. Pure.
 */
export function planImages(
  project: Project,
  services: string[],
  present: Record<string, string>,
  opts: ImagePlanOptions = {},
): ImageStep[] {
  const byImage = new Map<string, ServiceConfig>();
  for (const name of services) {
    const service = project.services[name];
    const image = serviceImage(project.name, service);
    const current = byImage.get(image);
    if (!current || (!current.build && service.build)) byImage.set(image, service);
  }
  const steps: ImageStep[] = [];
  for (const [image, service] of byImage) {
    const exists = image in present;
    const action = decideImageAction(service, exists, opts);
    if (action === "missing") throw new ImageNotFoundError(service.name, image);
    if (action !== "none")
      steps.push({ image, service: service.name, action, reason: reasonFor(service, action, exists, opts) });
  }
  return steps;
}
