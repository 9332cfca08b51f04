import { describe, expect, it } from "vitest";
import { parseVolumeSpec } from "./volumes.js";

describe("parseVolumeSpec", () => {
  it("makes a relative or absolute source a bind mount that creates its host path", () => {
    expect(parseVolumeSpec("./data:/data:ro")).toEqual({
      type: "bind",
      source: "./data",
      target: "/data",
      read_only: true,
      bind: { create_host_path: true },
    });
    expect(parseVolumeSpec("/var/run/docker.sock:/var/run/docker.sock")).toMatchObject({ type: "bind" });
    expect(parseVolumeSpec("~/x:/x")).toMatchObject({ type: "bind", source: "~/x" });
  });

  it("makes a name a named volume", () => {
    expect(parseVolumeSpec("cache:/cache:nocopy")).toEqual({
      type: "volume",
      source: "cache",
      target: "/cache",
      volume: { nocopy: true },
    });
  });

  it("makes a lone path an anonymous volume", () => {
    expect(parseVolumeSpec("/anon")).toEqual({ type: "volume", target: "/anon", volume: {} });
  });

  it("reads SELinux labels and propagation as bind options", () => {
    expect(parseVolumeSpec("./a:/a:z,rshared")).toMatchObject({
      bind: { selinux: "z", propagation: "rshared", create_host_path: true },
    });
  });

  it("accepts consistency hints and drops them, as compose does", () => {
    expect(parseVolumeSpec("./src:/app:cached")).toEqual({
      type: "bind",
      source: "./src",
      target: "/app",
      bind: { create_host_path: true },
    });
  });

  it("treats a one-letter first section as a Windows drive, like compose", () => {
    expect(parseVolumeSpec("C:/x:/y")).toMatchObject({ type: "bind", source: "C:/x", target: "/y" });
  });

  it.each([
    ["", /empty/],
    ["vol:/b:ro:extra", /too many colons/],
    ["vol::/x", /empty section/],
    ["./a:/b:bogus", /unknown mode "bogus"/],
  ])("rejects %j", (spec, reason) => {
    expect(parseVolumeSpec(spec)).toMatch(reason);
  });
});
