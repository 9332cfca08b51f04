import { Labels } from "../../base/labels.js";

/**
 * The services' dependencies as the containers record them in `com.docker.compose.depends_on`
 * (`db:service_healthy:false,cache:service_started:true`), so that operations given only a project name
 * still follow compose's order.
 */
export function dependenciesFromLabels(labels: Record<string, string>): string[] {
  const value = labels[Labels.dependsOn];
  if (!value) return [];
  return value
    .split(",")
    .map((entry) => entry.split(":")[0])
    .filter(Boolean);
}
