import { down } from "@berth/engine";
import { docker } from "../helpers/docker.js";

export { SLEEPER, makeProject } from "../helpers/project.js";

/** Removes whatever a test left behind, even when it failed half-way. */
export async function cleanup(project: string): Promise<void> {
  await down(docker, project, { volumes: true, timeoutSeconds: 0 }).catch(() => undefined);
}
