import { readFile } from "node:fs/promises";
import type { Project } from "@berth/compose-schema";
import type Docker from "dockerode";
import { workerPool } from "../base/parallel.js";
import { registryAuth } from "../base/registry-auth.js";
import type { ApiService } from "./api-types.js";
import { type ObservedSwarmStack, imagesToResolve } from "./deploy-plan.js";
import { NotInSwarmError, SwarmExternalNotFoundError } from "./errors.js";
import { namespaceFilter } from "./labels.js";
import {
  type ObjectCreateSpec,
  type ObjectKind,
  externalRefs,
  objectSource,
  objectSpec,
  usedObjectKeys,
} from "./objects.js";
import { type ResolveImage, digestOf } from "./resolve-image.js";
import type { ObjectRef } from "./service-spec.js";

interface ApiObject {
  ID: string;
  Spec: { Name: string; Labels?: Record<string, string> };
}

const list = (docker: Docker, kind: ObjectKind, filters: Record<string, string[]>) =>
  (kind === "config" ? docker.listConfigs({ filters }) : docker.listSecrets({ filters })) as Promise<
    ApiObject[]
  >;

/**
 * The networks, configs and secrets marked external, found by name; fails before anything is
 * created when one is missing.
 */
async function findExternals(
  docker: Docker,
  project: Project,
): Promise<{ networks: Record<string, string>; objects: Record<string, ObjectRef> }> {
  const networks: Record<string, string> = {};
  const objects: Record<string, ObjectRef> = {};
  for (const ref of externalRefs(project)) {
    if (ref.kind === "network") {
      try {
        networks[ref.name] = ((await docker.getNetwork(ref.name).inspect()) as { Id: string }).Id;
      } catch {
        throw new SwarmExternalNotFoundError("network", ref.key, ref.name);
      }
      continue;
    }
    // The name filter matches prefixes: keep only the exact name.
    const match = (await list(docker, ref.kind, { name: [ref.name] })).find((o) => o.Spec.Name === ref.name);
    if (!match) throw new SwarmExternalNotFoundError(ref.kind, ref.key, ref.name);
    objects[`${ref.kind}:${ref.key}`] = { id: match.ID, name: match.Spec.Name };
  }
  return { networks, objects };
}

/** The content of every config and secret the services use and the stack owns. */
export async function readObjects(
  project: Project,
  stack: string,
  env: Record<string, string | undefined>,
): Promise<ObjectCreateSpec[]> {
  const specs: ObjectCreateSpec[] = [];
  for (const kind of ["config", "secret"] as const) {
    const declared = kind === "config" ? project.configs : project.secrets;
    for (const key of usedObjectKeys(project, kind)) {
      const config = declared[key];
      if (!config || config.external) continue;
      const source = objectSource(config);
      let data: Buffer;
      if (!source) data = Buffer.alloc(0);
      else if ("content" in source) data = Buffer.from(source.content);
      else if ("environment" in source)
        data = Buffer.from(project.environment[source.environment] ?? env[source.environment] ?? "");
      else data = await readFile(source.file);
      specs.push(objectSpec(stack, kind, key, config, data));
    }
  }
  return specs;
}

export interface ObserveSwarmStackOptions {
  resolveImage: ResolveImage;
  withRegistryAuth?: boolean;
  parallel?: number;
}

/**
 * What the swarm holds for the stack, and the registry's digest of each image the policy asks about.
 * Reads only: the engine answers the independent questions at once.
 */
export async function observeSwarmStack(
  docker: Docker,
  project: Project,
  stack: string,
  options: ObserveSwarmStackOptions,
): Promise<ObservedSwarmStack> {
  const externalsAsked = findExternals(docker, project);
  // Outside a swarm the other questions fail too: "not in a swarm" is the error worth showing.
  externalsAsked.catch(() => {});
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
  if (info.Swarm?.LocalNodeState !== "active" || !info.Swarm.ControlAvailable) throw new NotInSwarmError();
  const byName = (listed: ApiObject[]) => Object.fromEntries(listed.map((o) => [o.Spec.Name, o.ID]));
  const [externals, networks, configs, secrets, services] = await Promise.all([
    externalsAsked,
    docker.listNetworks({ filters: namespaceFilter(stack) }) as Promise<{ Id: string; Name: string }[]>,
    list(docker, "config", namespaceFilter(stack)),
    list(docker, "secret", namespaceFilter(stack)),
    docker.listServices({ filters: namespaceFilter(stack) }) as unknown as Promise<ApiService[]>,
  ]);
  const pool = workerPool({ limit: options.parallel });
  const images = imagesToResolve(project, stack, services, options.resolveImage);
  const digests = await Promise.all(
    images.map((image) =>
      pool.run(async () =>
        digestOf(docker, image, options.withRegistryAuth ? await registryAuth(image) : undefined),
      ),
    ),
  );
  return {
    networks: { ...Object.fromEntries(networks.map((n) => [n.Name, n.Id])), ...externals.networks },
    objects: { config: byName(configs), secret: byName(secrets) },
    externals: externals.objects,
    services,
    digests: Object.fromEntries(images.map((image, i) => [image, digests[i]])),
  };
}
