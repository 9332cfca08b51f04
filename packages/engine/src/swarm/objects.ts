import { createHash } from "node:crypto";
import type { FileObjectConfig, NetworkConfig, Project } from "@berth/compose-schema";
import { ipamSpec } from "../base/spec-primitives.js";
import { withNamespace } from "./labels.js";
import { networkName } from "./service-spec.js";

export type ObjectKind = "config" | "secret";

/** A network the stack creates, as the Engine API's NetworkCreate takes it. */
export interface NetworkCreateSpec {
  Name: string;
  Driver: string;
  Labels: Record<string, string>;
  Attachable?: boolean;
  Internal?: boolean;
  EnableIPv6?: boolean;
  Options?: Record<string, string>;
  IPAM?: Record<string, unknown>;
  CheckDuplicate: true;
}

/** A config or secret the stack creates: its name carries a hash of its content. */
export interface ObjectCreateSpec {
  kind: ObjectKind;
  /** The compose key (`configs: { app_conf: … }`). */
  key: string;
  Name: string;
  Labels: Record<string, string>;
  /** Base64, as the API takes it. */
  Data: string;
}

/** A network, config or secret the stack only uses: it must exist. */
export interface ExternalRef {
  kind: "network" | ObjectKind;
  key: string;
  name: string;
}

/** The networks the enabled services attach to (`default` when they name none). */
export function usedNetworkKeys(project: Project): string[] {
  const keys = new Set<string>();
  for (const s of Object.values(project.services)) {
    for (const key of Object.keys(s.networks ?? { default: null })) keys.add(key);
  }
  return [...keys].sort();
}

export function usedObjectKeys(project: Project, kind: ObjectKind): string[] {
  const keys = new Set<string>();
  for (const s of Object.values(project.services)) {
    for (const ref of (kind === "config" ? s.configs : s.secrets) ?? []) keys.add(ref.source);
  }
  return [...keys].sort();
}

/** Overlay unless the file names another driver; attachable only when asked, as docker stack does. */
export function networkSpec(project: Project, stack: string, key: string): NetworkCreateSpec {
  const config: NetworkConfig = project.networks[key] ?? { name: networkName(project, stack, key) };
  return {
    Name: config.name,
    Driver: config.driver ?? "overlay",
    Labels: withNamespace(stack, config.labels),
    Attachable: config.attachable,
    Internal: config.internal,
    EnableIPv6: config.enable_ipv6,
    Options: config.driver_opts,
    IPAM: config.ipam && ipamSpec(config.ipam),
    CheckDuplicate: true,
  };
}

/** First 8 hex digits of the content's SHA-256: a changed file gives a new object, which rolls its services. */
export function contentHash(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex").slice(0, 8);
}

export function objectSpec(
  stack: string,
  kind: ObjectKind,
  key: string,
  config: FileObjectConfig,
  data: Buffer,
): ObjectCreateSpec {
  return {
    kind,
    key,
    Name: `${config.name}-${contentHash(data)}`,
    Labels: withNamespace(stack, config.labels),
    Data: data.toString("base64"),
  };
}

/** Where the content of a config or secret comes from: `content`, `environment` or `file`. */
export type ObjectSource = { content: string } | { environment: string } | { file: string };

export function objectSource(config: FileObjectConfig): ObjectSource | undefined {
  if (config.content !== undefined) return { content: config.content };
  if (config.environment !== undefined) return { environment: config.environment };
  if (config.file !== undefined) return { file: config.file };
  return undefined;
}

export function externalRefs(project: Project): ExternalRef[] {
  const refs: ExternalRef[] = [];
  for (const key of usedNetworkKeys(project)) {
    const n = project.networks[key];
    if (n?.external) refs.push({ kind: "network", key, name: n.name });
  }
  for (const kind of ["config", "secret"] as const) {
    const declared = kind === "config" ? project.configs : project.secrets;
    for (const key of usedObjectKeys(project, kind)) {
      const o = declared[key];
      if (o?.external) refs.push({ kind, key, name: o.name });
    }
  }
  return refs;
}
