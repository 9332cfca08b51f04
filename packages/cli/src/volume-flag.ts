import path from "node:path";
import type { ServiceVolumeConfig } from "@berth/compose-schema";
import { UsageError } from "./errors.js";

/**
 * `-v SOURCE:TARGET[:ro|rw]` of `run`: a bind mount when SOURCE is a path (made absolute), a named
 * volume otherwise; `-v TARGET` alone is an anonymous volume.
 */
export function parseVolumeFlag(spec: string, cwd: string): ServiceVolumeConfig {
  const parts = spec.split(":");
  if (parts.length === 1) return { type: "volume", target: parts[0] };
  if (parts.length > 3 || parts[0] === "" || parts[1] === "")
    throw new UsageError(`invalid volume "${spec}": expected SOURCE:TARGET[:ro]`);
  const [source, target, mode] = parts;
  if (mode !== undefined && mode !== "ro" && mode !== "rw")
    throw new UsageError(`invalid volume mode "${mode}" in "${spec}": use ro or rw`);
  const isPath = source.startsWith("/") || source.startsWith(".");
  return {
    type: isPath ? "bind" : "volume",
    source: isPath ? path.resolve(cwd, source) : source,
    target,
    ...(mode === "ro" ? { read_only: true } : {}),
  };
}
