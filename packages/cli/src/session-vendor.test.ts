import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { requireBundle } from "./cached-bundle.js";

// dist/session-vendor.cjs (scripts/bundle.mjs) carries gRPC and protobufjs for the BuildKit session.
const VENDOR = fileURLToPath(new URL("../dist/session-vendor.cjs", import.meta.url));

describe("the session's vendor bundle", () => {
  it("encodes int64 fields given as text exactly (fsutil's nanosecond mtimes)", () => {
    if (!existsSync(VENDOR)) throw new Error("packages/cli is not built: run pnpm build");
    const { protobuf, grpc } = requireBundle(VENDOR) as {
      protobuf: typeof import("protobufjs");
      grpc: typeof import("@grpc/grpc-js");
    };
    expect(typeof grpc.Server).toBe("function");
    const { root } = protobuf.parse('syntax = "proto3"; message Stat { int64 modTime = 6; }');
    const stat = root.lookupType("Stat");
    const mtime = "1733500000123456789"; // beyond 2^53: a double would end in ...456768
    const decoded = stat.toObject(stat.decode(stat.encode(stat.fromObject({ modTime: mtime })).finish()), {
      longs: String,
    });
    expect(decoded.modTime).toBe(mtime);
  });
});
