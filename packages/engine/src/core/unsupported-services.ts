import type { Project } from "@berth/compose-schema";
import { UnsupportedServiceError } from "../base/errors.js";

/**
 * Throws UnsupportedServiceError when one of `names` needs a model runner or a provider plugin, which
 * docker compose delegates to (Docker Model Runner, `docker-<type>` plugins) and Berth does not have.
 * Pure: `up` calls it before pulling, building or creating anything.
 */
export function checkSupportedServices(project: Project, names: readonly string[]): void {
  const issues: { service: string; reason: string }[] = [];
  for (const name of names) {
    const service = project.services[name];
    if (!service) continue;
    if (service.provider) {
      issues.push({
        service: name,
        reason: `is managed by the provider "${service.provider.type}", and Berth runs no provider plugins: run it with docker compose, or replace it with an image`,
      });
    }
    const models = Object.keys(service.models ?? {});
    if (models.length > 0) {
      issues.push({
        service: name,
        reason: `uses the model${models.length > 1 ? "s" : ""} ${models.join(", ")}, and Berth has no model runner: run it with docker compose and Docker Model Runner, or remove models from the service`,
      });
    }
  }
  if (issues.length > 0) throw new UnsupportedServiceError(issues);
}
