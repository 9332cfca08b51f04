import { Labels } from "../labels.js";

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

/**
 * Services in waves: every service comes after the services it depends on (`reverse`: before them).
 * Dependencies outside `deps` are ignored; a cycle ends up in one last wave rather than failing, since
 * the containers exist already and the order is only a courtesy to them.
 */
export function dependencyWaves(deps: Map<string, string[]>, reverse = false): string[][] {
  const remaining = new Set(deps.keys());
  const waves: string[][] = [];
  const blockers = (service: string): string[] =>
    reverse
      ? [...remaining].filter((other) => other !== service && (deps.get(other) ?? []).includes(service))
      : (deps.get(service) ?? []).filter((d) => d !== service && remaining.has(d));
  while (remaining.size > 0) {
    const wave = [...remaining].filter((s) => blockers(s).length === 0).sort();
    if (wave.length === 0) {
      waves.push([...remaining].sort());
      break;
    }
    for (const s of wave) remaining.delete(s);
    waves.push(wave);
  }
  return waves;
}
