import type Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { hostBinding, httpUrl } from "./ports.js";

const inspected = (ports: Record<string, { HostIp: string; HostPort: string }[] | null>) =>
  ({ NetworkSettings: { Ports: ports } }) as unknown as Docker.ContainerInspectInfo;

describe("hostBinding", () => {
  it("prefers the IPv4 binding and connects to the loopback address for the wildcard", () => {
    const info = inspected({
      "80/tcp": [
        { HostIp: "::", HostPort: "49154" },
        { HostIp: "0.0.0.0", HostPort: "49153" },
      ],
    });
    expect(hostBinding(info, 80)).toEqual({ host: "127.0.0.1", port: 49153 });
  });

  it("keeps a specific host address and tells protocols apart", () => {
    const info = inspected({ "53/udp": [{ HostIp: "127.0.0.2", HostPort: "5353" }], "53/tcp": null });
    expect(hostBinding(info, 53, "udp")).toEqual({ host: "127.0.0.2", port: 5353 });
    expect(hostBinding(info, 53)).toBeUndefined();
    expect(hostBinding(info, 8080)).toBeUndefined();
  });
});

describe("httpUrl", () => {
  it("joins host, port and path", () => {
    expect(httpUrl({ host: "127.0.0.1", port: 8080 }, "health")).toBe("http://127.0.0.1:8080/health");
    expect(httpUrl({ host: "::1", port: 80 }, "/")).toBe("http://[::1]:80/");
  });
});
