import type { ServiceConfig } from "@berth/compose-schema";
import { describe, expect, it } from "vitest";
import { InvalidPublishError, oneOffService, parsePublish } from "./run-config.js";

describe("parsePublish", () => {
  it("reads the forms of -p", () => {
    expect(parsePublish("80")).toEqual({ target: 80, protocol: "tcp", mode: "ingress" });
    expect(parsePublish("8080:80/udp")).toEqual({
      target: 80,
      published: "8080",
      protocol: "udp",
      mode: "ingress",
    });
    expect(parsePublish("127.0.0.1:8080:80")).toMatchObject({
      host_ip: "127.0.0.1",
      published: "8080",
      target: 80,
    });
    expect(parsePublish("127.0.0.1::80")).toMatchObject({ host_ip: "127.0.0.1", target: 80 });
    expect(() => parsePublish("x:y")).toThrow(InvalidPublishError);
  });
});

describe("oneOffService", () => {
  const service: ServiceConfig = {
    name: "web",
    image: "busybox",
    container_name: "fixed",
    restart: "always",
    command: ["httpd"],
    environment: { A: "1" },
    ports: [{ target: 80, published: "8080" }],
  };

  it("drops container_name, restart and ports by default", () => {
    const s = oneOffService(service, {});
    expect(s.container_name).toBeUndefined();
    expect(s.restart).toBeUndefined();
    expect(s.ports).toBeUndefined();
    expect(s.command).toEqual(["httpd"]);
  });

  it("applies the run options over the service", () => {
    const s = oneOffService(service, {
      command: ["sh"],
      env: { B: "2" },
      servicePorts: true,
      publish: ["9090:90"],
      user: "nobody",
      workdir: "/tmp",
      tty: true,
    });
    expect(s).toMatchObject({
      command: ["sh"],
      environment: { A: "1", B: "2" },
      user: "nobody",
      working_dir: "/tmp",
      tty: true,
    });
    expect(s.ports?.map((p) => p.target)).toEqual([80, 90]);
  });
});
