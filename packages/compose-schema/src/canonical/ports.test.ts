import { describe, expect, it } from "vitest";
import { parsePortSpec } from "./ports.js";

describe("parsePortSpec", () => {
  it("maps a host port to a container port", () => {
    expect(parsePortSpec("8080:80")).toEqual([
      { mode: "ingress", target: 80, published: "8080", protocol: "tcp" },
    ]);
  });

  it("leaves the host port out when only the container port is given", () => {
    expect(parsePortSpec("3000")).toEqual([{ mode: "ingress", target: 3000, protocol: "tcp" }]);
  });

  it("keeps the host IP, also a bracketed IPv6 one", () => {
    expect(parsePortSpec("127.0.0.1:5432:5432")[0]).toMatchObject({
      host_ip: "127.0.0.1",
      published: "5432",
    });
    expect(parsePortSpec("[::1]:99:99/udp")[0]).toMatchObject({
      host_ip: "::1",
      target: 99,
      protocol: "udp",
    });
    expect(parsePortSpec("127.0.0.1::6379")).toEqual([
      { mode: "ingress", host_ip: "127.0.0.1", target: 6379, protocol: "tcp" },
    ]);
  });

  it("expands equal ranges port by port, in docker's string order of port/proto", () => {
    const ports = parsePortSpec("8-10:8-10") as { target: number; published?: string }[];
    expect(ports.map((p) => [p.target, p.published])).toEqual([
      [10, "10"],
      [8, "8"],
      [9, "9"],
    ]);
  });

  it("keeps a host range for a single container port", () => {
    expect(parsePortSpec("7000-7002:7000")).toEqual([
      { mode: "ingress", target: 7000, published: "7000-7002", protocol: "tcp" },
    ]);
  });

  it("lowercases the protocol", () => {
    expect(parsePortSpec("53:53/UDP")[0]).toMatchObject({ protocol: "udp" });
  });

  it.each([
    ["80:80:tcp", /invalid IP address "80"/],
    ["80/xyz", /invalid protocol "xyz"/],
    ["8000-8002:9000-9001", /ranges of different sizes/],
    ["70000", /invalid container port/],
    ["abc:80", /invalid host port "abc"/],
    ["10-5", /invalid container port/],
  ])("rejects %j", (spec, reason) => {
    const result = parsePortSpec(spec);
    expect(typeof result).toBe("string");
    expect(result).toMatch(reason);
  });
});
