/** Values the engine fills in on its own when a spec leaves them out. */
const ENGINE_DEFAULTS: Record<string, unknown> = {
  Isolation: "default",
  Runtime: "container",
  FailureAction: "pause",
  Order: "stop-first",
  // `restart_policy` without a condition.
  Condition: "any",
};

function blank(value: unknown): boolean {
  if (value === undefined || value === null || value === 0 || value === "" || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.values(value).every(blank);
  return false;
}

/**
 * Paths where the engine's stored spec differs from the one Berth would send (`TaskTemplate.ContainerSpec.Env`);
 * a key Berth leaves out may be blank or hold the engine's default. Pure; the no-op check of `berth deploy`.
 */
export function specDiff(desired: unknown, actual: unknown, path = ""): string[] {
  const key = path.slice(path.lastIndexOf(".") + 1);
  if (desired === undefined) return blank(actual) || ENGINE_DEFAULTS[key] === actual ? [] : [path];
  // The engine drops zero values it was sent (`Delay: 0`).
  if (actual === undefined) return blank(desired) ? [] : [path];
  if (Array.isArray(desired)) {
    const same =
      Array.isArray(actual) &&
      actual.length === desired.length &&
      desired.every((d, i) => specDiff(d, actual[i], path).length === 0);
    return same ? [] : [path];
  }
  if (desired !== null && typeof desired === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return [path];
    const d = desired as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(d), ...Object.keys(a)])].sort();
    return keys.flatMap((k) => specDiff(d[k], a[k], path ? `${path}.${k}` : k));
  }
  return desired === actual ? [] : [path];
}

/**
 * Whether a task runs the service's current template. The engine leaves some keys out of a task's
 * copy (RestartPolicy, StopGracePeriod), so only the keys the task has are compared.
 */
export function taskMatches(template: unknown, taskSpec: unknown): boolean {
  if (taskSpec === undefined || taskSpec === null) return true;
  if (Array.isArray(taskSpec)) {
    return (
      Array.isArray(template) &&
      template.length === taskSpec.length &&
      taskSpec.every((t, i) => taskMatches(template[i], t))
    );
  }
  if (typeof taskSpec === "object") {
    if (template === null || typeof template !== "object" || Array.isArray(template)) return blank(taskSpec);
    const t = template as Record<string, unknown>;
    return Object.entries(taskSpec).every(([k, v]) => taskMatches(t[k], v));
  }
  return template === taskSpec || (template === undefined && blank(taskSpec));
}
