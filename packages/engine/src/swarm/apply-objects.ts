import { readFile } from "node:fs/promises";
import type { Project } from "@berth/compose-schema";
import type Docker from "dockerode";
import type { EventListener } from "../events.js";
import { SwarmExternalNotFoundError } from "./errors.js";
import { namespaceFilter } from "./labels.js";
import {
  type ObjectCreateSpec,
  type ObjectKind,
  externalRefs,
  networkSpec,
  objectSource,
  objectSpec,
  usedNetworkKeys,
  usedObjectKeys,
} from "./objects.js";
import type { ObjectRef } from "./service-spec.js";

interface ApiObject {
  ID: string;
  Spec: { Name: string; Labels?: Record<string, string> };
}

const list = (docker: Docker, kind: ObjectKind, filters: Record<string, string[]>) =>
  (kind === "config" ? docker.listConfigs({ filters }) : docker.listSecrets({ filters })) as Promise<
    ApiObject[]
  >;

/** Fails before anything is created when a network, config or secret marked external is missing. */
export async function checkExternals(docker: Docker, project: Project): Promise<Record<string, ObjectRef>> {
  const found: Record<string, ObjectRef> = {};
  for (const ref of externalRefs(project)) {
    if (ref.kind === "network") {
      try {
        await docker.getNetwork(ref.name).inspect();
      } catch {
        throw new SwarmExternalNotFoundError("network", ref.key, ref.name);
      }
      continue;
    }
    // The name filter matches prefixes: keep only the exact name.
    const match = (await list(docker, ref.kind, { name: [ref.name] })).find((o) => o.Spec.Name === ref.name);
    if (!match) throw new SwarmExternalNotFoundError(ref.kind, ref.key, ref.name);
    found[`${ref.kind}:${ref.key}`] = { id: match.ID, name: match.Spec.Name };
  }
  return found;
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

/**
 * Creates the stack's networks that do not exist yet (existing ones are left as they are); returns the
 * ID of every network the services use, by engine name, since the engine stores IDs in service specs.
 */
export async function ensureNetworks(
  docker: Docker,
  project: Project,
  stack: string,
  emit: EventListener,
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  const listed = (await docker.listNetworks({ filters: namespaceFilter(stack) })) as {
    Id: string;
    Name: string;
  }[];
  const existing = new Map(listed.map((n) => [n.Name, n.Id] as const));
  for (const key of usedNetworkKeys(project)) {
    const declared = project.networks[key];
    if (declared?.external) {
      const found = (await docker.getNetwork(declared.name).inspect()) as { Id: string };
      ids[declared.name] = found.Id;
      continue;
    }
    const spec = networkSpec(project, stack, key);
    const id = existing.get(spec.Name);
    if (id) {
      ids[spec.Name] = id;
      continue;
    }
    emit({ kind: "network", name: spec.Name, action: "Creating", status: "working" });
    const created = await docker.createNetwork(spec as unknown as Docker.NetworkCreateOptions);
    ids[spec.Name] = created.id;
    emit({ kind: "network", name: spec.Name, action: "Created", status: "done" });
  }
  return ids;
}

/** Creates the configs and secrets whose content is new; returns every one by `kind:key`. */
export async function ensureObjects(
  docker: Docker,
  stack: string,
  specs: ObjectCreateSpec[],
  emit: EventListener,
): Promise<Record<string, ObjectRef>> {
  const refs: Record<string, ObjectRef> = {};
  for (const kind of ["config", "secret"] as const) {
    const existing = new Map(
      (await list(docker, kind, namespaceFilter(stack))).map((o) => [o.Spec.Name, o.ID] as const),
    );
    for (const spec of specs.filter((s) => s.kind === kind)) {
      let id = existing.get(spec.Name);
      if (!id) {
        const body = { Name: spec.Name, Labels: spec.Labels, Data: spec.Data };
        const created = (await (kind === "config"
          ? docker.createConfig(body)
          : docker.createSecret(body))) as {
          id?: string;
          ID?: string;
        };
        id = created.id ?? created.ID ?? "";
        emit({ kind: "project", name: spec.Name, action: `Created ${kind}`, status: "done" });
      }
      refs[`${kind}:${spec.key}`] = { id, name: spec.Name };
    }
  }
  return refs;
}

/** Removes the stack's configs and secrets no service of the file uses any more (old versions). */
export async function pruneObjects(
  docker: Docker,
  stack: string,
  keep: ReadonlySet<string>,
  emit: EventListener,
): Promise<string[]> {
  const removed: string[] = [];
  for (const kind of ["config", "secret"] as const) {
    for (const o of await list(docker, kind, namespaceFilter(stack))) {
      if (keep.has(o.Spec.Name)) continue;
      try {
        await (kind === "config" ? docker.getConfig(o.ID).remove() : docker.getSecret(o.ID).remove());
        removed.push(o.Spec.Name);
        emit({ kind: "project", name: o.Spec.Name, action: `Removed ${kind}`, status: "done" });
      } catch (error) {
        // Still referenced by a service outside the file (or being rolled back to): keep it.
        emit({
          kind: "project",
          name: o.Spec.Name,
          action: `Kept ${kind}`,
          status: "warning",
          detail: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
  return removed;
}
