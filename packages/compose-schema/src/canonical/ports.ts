import type { DocPath } from "../source.js";
import type { ServicePortConfig } from "../types.js";
import { type CanonContext, isPlainObject, mapTagged, scalarToString } from "./context.js";

/** Expands a `ports:` list: short specs become one long entry per port of a range, as compose does. */
export function canonicalizePorts(value: unknown, path: DocPath, ctx: CanonContext): unknown {
  return mapTagged(value, (list) => {
    if (!Array.isArray(list)) return list;
    const out: unknown[] = [];
    list.forEach((entry, i) => {
      if (typeof entry === "string" || typeof entry === "number") {
        const parsed = parsePortSpec(String(entry));
        if (typeof parsed === "string") ctx.invalid([...path, i], String(entry), "port mapping", parsed);
        else out.push(...parsed);
      } else if (isPlainObject(entry) && entry.published !== undefined && entry.published !== null) {
        out.push({ ...entry, published: scalarToString(entry.published) });
      } else out.push(entry);
    });
    return out;
  });
}

/** Parses `[[ip:]host:]container[/proto]` (docker's nat.ParsePortSpec); a string result is the reason it failed. */
export function parsePortSpec(spec: string): ServicePortConfig[] | string {
  const parts = spec.split(":");
  const last = parts[parts.length - 1] ?? "";
  let rawIp = "";
  let host = "";
  if (parts.length === 2) host = parts[0] ?? "";
  else if (parts.length >= 3) {
    rawIp = parts.slice(0, -2).join(":");
    host = parts[parts.length - 2] ?? "";
  }
  const [container, proto] = splitProto(last);
  const ip = rawIp.startsWith("[") && rawIp.endsWith("]") ? rawIp.slice(1, -1) : rawIp;
  if (ip !== "" && !isIp(ip)) return `invalid IP address "${ip}"`;
  if (container === "") return "no container port";
  const cRange = parseRange(container);
  if (!cRange) return `invalid container port "${container}"`;
  let hRange: [number, number] = [0, 0];
  if (host !== "") {
    const r = parseRange(host);
    if (!r) return `invalid host port "${host}"`;
    hRange = r;
  }
  const [cStart, cEnd] = cRange;
  const [hStart, hEnd] = hRange;
  if (host !== "" && cEnd - cStart !== hEnd - hStart && cEnd !== cStart) {
    return `container ports ${container} and host ports ${host} are ranges of different sizes`;
  }
  const protocol = proto.toLowerCase();
  if (!["tcp", "udp", "sctp"].includes(protocol)) return `invalid protocol "${proto}"`;
  const ports: ServicePortConfig[] = [];
  for (let i = 0; i <= cEnd - cStart; i++) {
    let published: string | undefined;
    if (host !== "") {
      published = String(hStart + i);
      // A single container port with a host range: the engine picks a free port in the range.
      if (cStart === cEnd && hStart !== hEnd) published = `${published}-${hEnd}`;
    }
    const port: Record<string, unknown> = { mode: "ingress" };
    if (ip !== "") port.host_ip = ip;
    port.target = cStart + i;
    if (published !== undefined) port.published = published;
    port.protocol = protocol;
    ports.push(port as unknown as ServicePortConfig);
  }
  // Docker keys the bindings by "port/proto" and compose sorts those keys as strings.
  return ports.sort((a, b) => {
    const ka = `${a.target}/${a.protocol}`;
    const kb = `${b.target}/${b.protocol}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

function splitProto(raw: string): [string, string] {
  const parts = raw.split("/");
  if (raw === "" || parts[0] === "") return ["", ""];
  if (parts.length === 1 || parts[1] === "") return [parts[0] ?? "", "tcp"];
  return [parts[0] ?? "", parts[1] ?? ""];
}

function parseRange(s: string): [number, number] | undefined {
  const parts = s.split("-");
  const start = parsePort(parts[0] ?? "");
  const end = parts.length === 1 ? start : parsePort(parts[1] ?? "");
  if (start === undefined || end === undefined || end < start) return undefined;
  return [start, end];
}

function parsePort(s: string): number | undefined {
  if (!/^[0-9]+$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 65535 ? n : undefined;
}

function isIp(s: string): boolean {
  if (/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s))
    return s.split(".").every((o) => Number(o) <= 255);
  return s.includes(":") && /^[0-9a-fA-F:.]+$/.test(s);
}
