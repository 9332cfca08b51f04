import type { VolumeSummary } from "@berth/engine";
import type { FormatFields } from "./docker-format.js";
import { humanSize } from "./go-units.js";

/** docker's default volume table. */
export const VOLUMES_TABLE = "table {{.Driver}}\t{{.Name}}";

export const VOLUME_HEADERS: FormatFields = {
  Name: "VOLUME NAME",
  Driver: "DRIVER",
  Scope: "SCOPE",
  Mountpoint: "MOUNTPOINT",
  Labels: "LABELS",
  Links: "LINKS",
  Size: "SIZE",
  Group: "GROUP",
  Availability: "AVAILABILITY",
  Status: "STATUS",
};

/** A volume's fields as docker's formatter writes them (cluster fields are N/A on a single engine). */
export function volumeFields(v: VolumeSummary): FormatFields {
  const usage = (v as { UsageData?: { RefCount: number; Size: number } | null }).UsageData;
  return {
    Name: v.Name,
    Driver: v.Driver,
    Scope: v.Scope,
    Mountpoint: v.Mountpoint,
    Labels: Object.entries(v.Labels ?? {})
      .map(([k, value]) => `${k}=${value}`)
      .sort()
      .join(","),
    Links: usage ? String(usage.RefCount) : "N/A",
    Size: usage ? humanSize(usage.Size) : "N/A",
    Group: "N/A",
    Availability: "N/A",
    Status: "N/A",
  };
}
