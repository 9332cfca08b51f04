import { isIPv4, isIPv6 } from "node:net";
import type { ContainerSummary, PortSummary } from "@berth/engine";
import { goTimeString, humanDuration } from "./docker-units.js";

/**
 * One container as `docker compose ps` shows it: the fields of compose's container formatter
 * (cmd/formatter/container.go), which both the table and `--format json` print. Compose truncates
 * by default (no `--no-trunc` here): the ID to 12 characters, the command to 20, mount names to 15.
 */
export interface ContainerRow {
  Command: string;
  CreatedAt: string;
  ExitCode: number;
  Health: string;
  ID: string;
  Image: string;
  Labels: string;
  LocalVolumes: string;
  Mounts: string;
  Name: string;
  Names: string;
  Networks: string;
  Ports: string;
  Project: string;
  Publishers: { URL: string; TargetPort: number; PublishedPort: number; Protocol: string }[];
  RunningFor: string;
  Service: string;
  Size: string;
  State: string;
  Status: string;
}

/** Keys in alphabetical order, as Go's encoding/json writes the map docker's formatter builds. */
export function containerRow(c: ContainerSummary, now: Date): ContainerRow {
  return {
    Command: JSON.stringify(ellipsis(c.command, 20)),
    CreatedAt: goTimeString(c.created),
    ExitCode: c.exitCode ?? 0,
    Health: c.health ?? "",
    ID: c.id.slice(0, 12),
    Image: c.image,
    // Go iterates the label map in random order; sorted, the text is at least stable.
    Labels: Object.keys(c.labels)
      .sort()
      .map((k) => `${k}=${c.labels[k]}`)
      .join(","),
    LocalVolumes: String(c.localVolumes),
    Mounts: c.mounts.map((m) => ellipsis(m, 15)).join(","),
    Name: c.name,
    Names: c.names.map((n) => n.replace(/^\//, "")).find((n) => !n.includes("/")) ?? c.name,
    Networks: c.networks.join(","),
    Ports: displayablePorts(c.ports),
    Project: c.project,
    Publishers: c.ports.map((p) => ({
      URL: p.hostIp ?? "",
      TargetPort: p.privatePort,
      PublishedPort: p.publicPort ?? 0,
      Protocol: p.protocol,
    })),
    RunningFor: `${humanDuration(now.getTime() - c.created.getTime())} ago`,
    Service: c.service,
    // compose lists containers without their sizes, so it prints the size of nothing.
    Size: "0B",
    State: c.state,
    Status: c.status,
  };
}

/** docker's Ellipsis: at most `max` characters, the last one `…` when cut. */
export function ellipsis(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/**
 * docker's DisplayablePorts: sorted by container port, then host IP, host port and protocol; a port
 * published on the same number joins a range with its neighbours (`0.0.0.0:8000-8001->8000-8001/tcp`),
 * a port published on another number is listed after those (`0.0.0.0:8080->80/tcp`).
 */
export function displayablePorts(ports: readonly PortSummary[]): string {
  const groups = new Map<string, { ip?: string; protocol: string; first: number; last: number }>();
  const result: string[] = [];
  const hostMappings: string[] = [];
  for (const p of [...ports].sort(comparePorts)) {
    if (p.hostIp && p.publicPort !== p.privatePort) {
      hostMappings.push(
        `${joinHostPort(p.hostIp, String(p.publicPort ?? 0))}->${p.privatePort}/${p.protocol}`,
      );
      continue;
    }
    const key = p.hostIp ? `${p.hostIp}/${p.protocol}` : p.protocol;
    const group = groups.get(key);
    if (group && p.privatePort === group.last + 1) {
      group.last = p.privatePort;
      continue;
    }
    if (group) result.push(formatGroup(group));
    // Re-setting the key keeps its first position, as docker's list of keys does.
    groups.set(key, { ip: p.hostIp, protocol: p.protocol, first: p.privatePort, last: p.privatePort });
  }
  for (const group of groups.values()) result.push(formatGroup(group));
  return [...result, ...hostMappings].join(", ");
}

function formatGroup(g: { ip?: string; protocol: string; first: number; last: number }): string {
  const range = g.first === g.last ? `${g.first}` : `${g.first}-${g.last}`;
  return `${g.ip ? `${joinHostPort(g.ip, range)}->${range}` : range}/${g.protocol}`;
}

/** Go's net.JoinHostPort: an IPv6 address in brackets. */
function joinHostPort(host: string, port: string): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

function comparePorts(a: PortSummary, b: PortSummary): number {
  if (a.privatePort !== b.privatePort) return a.privatePort - b.privatePort;
  if (a.hostIp !== b.hostIp) return compareIps(a.hostIp, b.hostIp);
  if (a.publicPort !== b.publicPort) return (a.publicPort ?? 0) - (b.publicPort ?? 0);
  return a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0;
}

/** netip.Addr's order: no address, then IPv4, then IPv6, each by its bytes. */
function compareIps(a: string | undefined, b: string | undefined): number {
  const ka = ipKey(a);
  const kb = ipKey(b);
  for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
    const d = (ka[i] ?? -1) - (kb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** [family, ...bytes or 16-bit groups]: comparing these orders addresses as netip does. */
function ipKey(ip: string | undefined): number[] {
  if (ip && isIPv4(ip)) return [1, ...ip.split(".").map(Number)];
  if (ip && isIPv6(ip)) return [2, ...ipv6Groups(ip)];
  return [0];
}

function ipv6Groups(ip: string): number[] {
  const [head, tail] = ip.includes("::") ? ip.split("::") : [ip, undefined];
  // A trailing IPv4 part (`::ffff:10.0.0.1`) is two groups.
  const group = (g: string) => {
    if (!g.includes(".")) return [Number.parseInt(g, 16)];
    const [a = 0, b = 0, c = 0, d = 0] = g.split(".").map(Number);
    return [a * 256 + b, c * 256 + d];
  };
  const parse = (s: string | undefined) => (s ? s.split(":").flatMap(group) : []);
  const h = parse(head);
  const t = parse(tail);
  return [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
}
