import type { ResourceKind } from "../base/events.js";
import type { PlannedStep } from "../core/plan-steps.js";
import type { DeployAction, DeployPlan } from "./deploy-plan.js";

/**
 * One thing `berth deploy` will do, in the words its real run reports when it is done (`Created`,
 * `Updated`, `Up-to-date`, `Removed`…): the same step as every other command's plan, so that a dry run
 * and the real run compare step by step.
 */
export type DeployStep = PlannedStep;

function actionStep(a: DeployAction): DeployStep {
  switch (a.type) {
    case "create-network":
      return { kind: "network", name: a.spec.Name, action: "Created", reason: a.reason };
    case "create-object":
      return { kind: "project", name: a.spec.Name, action: `Created ${a.spec.kind}`, reason: a.reason };
    case "create-service":
      return { kind: "service", name: a.spec.Name, service: a.service, action: "Created", reason: a.reason };
    case "update-service":
      return { kind: "service", name: a.spec.Name, service: a.service, action: "Updated", reason: a.reason };
    case "keep-service":
      return { kind: "service", name: a.name, service: a.service, action: "Up-to-date", reason: a.reason };
    case "remove-service":
      return { kind: "service", name: a.name, action: "Removed", reason: a.reason };
    case "remove-object":
      return { kind: "project", name: a.name, action: `Removed ${a.kind}`, reason: a.reason };
  }
}

/** The plan's steps in the order the deploy reports them. Pure. */
export function deploySteps(plan: DeployPlan): DeployStep[] {
  return [
    ...plan.warnings.map(
      (w): DeployStep => ({
        kind: w.kind,
        name: w.name,
        service: w.service,
        action: "Warning",
        reason: w.detail,
        warning: true,
      }),
    ),
    ...[...plan.networks, ...plan.objects, ...plan.services, ...plan.prune].map(actionStep),
  ];
}

/** A plan as text, one step a line: what `deploy --dry-run` prints and golden tests compare. */
export function formatDeploySteps(steps: DeployStep[]): string {
  if (steps.length === 0) return "(nothing to do)\n";
  const kind = (k: ResourceKind) => k.charAt(0).toUpperCase() + k.slice(1);
  return steps.map((s) => `${kind(s.kind)} ${s.name}  ${s.action}  (${s.reason})\n`).join("");
}
