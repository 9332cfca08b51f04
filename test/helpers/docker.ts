import { execFileSync } from "node:child_process";
import Docker from "dockerode";

let available: boolean | undefined;

/** True when a Docker engine answers. Cached for the process. */
export function dockerAvailable(): boolean {
  if (available === undefined) {
    try {
      execFileSync("docker", ["info", "--format", "{{.ServerVersion}}"], {
        stdio: "ignore",
        timeout: 10_000,
      });
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

/**
 * For `describe.skipIf(!hasDocker())`-style guards: without an engine, integration tests skip
 * locally but fail under CI, where a missing engine is an error, never a reason to skip.
 */
export function requireDocker(): boolean {
  const ok = dockerAvailable();
  if (!ok && process.env.CI === "true") {
    throw new Error("CI=true but no Docker engine answers: start dockerd (see .ci/run)");
  }
  return ok;
}

export const docker = new Docker();

/** A project name no other test (or parallel run) uses. */
export function uniqueProject(prefix: string): string {
  return `berth-test-${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

export const BUSYBOX = "berth-examples/busybox:latest";

const PROJECT_LABEL = "com.docker.compose.project";

/** The containers (with their state), networks and volumes the engine has labelled with the project. */
export async function projectResources(project: string): Promise<{
  containers: { name: string; state: string }[];
  networks: string[];
  volumes: string[];
}> {
  const filters = { label: [`${PROJECT_LABEL}=${project}`] };
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return {
    containers: containers.map((c) => ({ name: (c.Names[0] ?? c.Id).replace(/^\//, ""), state: c.State })),
    networks: networks.map((n) => n.Name),
    volumes: (volumes.Volumes ?? []).map((v) => v.Name),
  };
}

/** What the project left on the engine, one `type name` line each: empty once it is down. */
export async function leftovers(project: string): Promise<string[]> {
  const { containers, networks, volumes } = await projectResources(project);
  return [
    ...containers.map((c) => `container ${c.name} (${c.state})`),
    ...networks.map((n) => `network ${n}`),
    ...volumes.map((v) => `volume ${v}`),
  ];
}

/**
 * Removes every container (with its anonymous volumes), network and volume labelled with the project,
 * whatever a failed test left, without the code under test.
 */
export async function removeProjectResources(project: string): Promise<void> {
  const filters = { label: [`${PROJECT_LABEL}=${project}`] };
  const gone = () => undefined;
  for (const c of await docker.listContainers({ all: true, filters }))
    await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(gone);
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(gone);
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? [])
    await docker.getVolume(v.Name).remove().catch(gone);
}

/** Removes images by tag (or ID), ignoring those already gone: a test's afterAll for what it built or tagged. */
export async function removeImageTags(tags: Iterable<string>): Promise<void> {
  for (const tag of tags)
    await docker
      .getImage(tag)
      .remove({ force: true })
      .catch((error: { statusCode?: number }) => {
        // Gone already (another test's clean-up, or never built): nothing to do. Anything else is a leak.
        if (error.statusCode !== 404) throw error;
      });
}

/**
 * Removes the tags of the images built for a project (`<project>-*`, `<project>/*`). By tag, not by ID:
 * BuildKit gives identical builds one image ID, which another project's container may use.
 */
export async function removeProjectImageTags(project: string): Promise<void> {
  const prefixes = [`${project}-`, `${project}/`];
  const images = await docker.listImages({ filters: { reference: [`${project}-*`, `${project}/*`] } });
  const tags = images.flatMap((i) => i.RepoTags ?? []).filter((t) => prefixes.some((p) => t.startsWith(p)));
  await removeImageTags(tags);
}
