import type { Project } from "@berth/compose-schema";
import { type ContainerAction, type Plan, containerName } from "@berth/engine";
import { redact } from "./redact.js";

/** The plan of `up --dry-run`, one line per resource, in the order up would act; secrets masked. */
export function formatPlan(project: Project, plan: Plan): string {
  const lines: string[] = [];
  for (const w of plan.warnings) lines.push(`warning: ${w}`);
  for (const n of plan.networks) lines.push(`Network ${n.config.name}  Create`);
  for (const v of plan.volumes) lines.push(`Volume ${v.config.name}  Create`);
  for (const o of plan.orphans) lines.push(`Container ${o.name}  Remove (orphan)`);
  for (const s of plan.services) for (const a of s.actions) lines.push(actionLine(project, a));
  return lines.map((l) => `${redact(l)}\n`).join("");
}

/** Exhaustive on purpose: a new kind of action must be given words here before it compiles. */
function actionLine(project: Project, a: ContainerAction): string {
  switch (a.type) {
    case "create":
      return `Container ${containerName(project.name, a.service, a.number, project.services[a.service]?.container_name)}  Create`;
    case "recreate":
      return `Container ${a.container.name}  Recreate (${a.reason})`;
    case "restart":
      return `Container ${a.container.name}  Restart (${a.reason})`;
    case "start":
      return `Container ${a.container.name}  Start`;
    case "keep":
      return `Container ${a.container.name}  Running`;
    case "remove":
      return `Container ${a.container.name}  Remove (${a.reason})`;
  }
}
