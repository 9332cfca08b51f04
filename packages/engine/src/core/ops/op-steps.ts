import type Docker from "dockerode";
import type { PlannedStep } from "../plan-steps.js";
import { execTarget } from "./exec.js";
import { containerName, runningServiceContainer, serviceContainer, serviceOf } from "./select.js";

/**
 * The one step `commit`, `export`, `exec` and `cp` take, for `--dry-run`: the container is chosen by the
 * function the real run calls, so the dry run names the container the real run would act on.
 */
function step(info: Docker.ContainerInfo, action: string, reason: string): PlannedStep {
  return { kind: "container", name: containerName(info), service: serviceOf(info), action, reason };
}

/** `commit`'s step, in the word its real run ends with. Pure. */
export function commitStep(info: Docker.ContainerInfo, reference?: string): PlannedStep {
  return step(info, "Committed", reference ? `new image ${reference}` : "new untagged image");
}

/** `export`'s step; without `output` the archive goes to stdout. Pure. */
export function exportStep(info: Docker.ContainerInfo, output?: string): PlannedStep {
  return step(info, "Exported", `filesystem to ${output ?? "stdout"}`);
}

/** `exec`'s step: the command exactly as given (no shell quoting that could change its reading). Pure. */
export function execStep(info: Docker.ContainerInfo, command: string[]): PlannedStep {
  return step(info, "Executed", `runs ${JSON.stringify(command)}`);
}

/** `cp`'s step: the two paths as written. Pure. */
export function copyStep(info: Docker.ContainerInfo, source: string, destination: string): PlannedStep {
  return step(info, "Copied", `${source} to ${destination}`);
}

export async function planCommit(
  docker: Docker,
  projectName: string,
  service: string,
  opts: { index?: number; reference?: string } = {},
): Promise<PlannedStep[]> {
  return [
    commitStep(await runningServiceContainer(docker, projectName, service, opts.index), opts.reference),
  ];
}

export async function planExport(
  docker: Docker,
  projectName: string,
  service: string,
  opts: { index?: number; output?: string } = {},
): Promise<PlannedStep[]> {
  return [exportStep(await runningServiceContainer(docker, projectName, service, opts.index), opts.output)];
}

export async function planExec(
  docker: Docker,
  projectName: string,
  service: string,
  command: string[],
  opts: { index?: number } = {},
): Promise<PlannedStep[]> {
  return [execStep(await execTarget(docker, projectName, service, opts.index), command)];
}

/** `service` is the side of the copy written `SERVICE:PATH`. */
export async function planCopy(
  docker: Docker,
  projectName: string,
  service: string,
  source: string,
  destination: string,
  opts: { index?: number } = {},
): Promise<PlannedStep[]> {
  return [
    copyStep(await serviceContainer(docker, projectName, service, opts.index ?? 1), source, destination),
  ];
}
