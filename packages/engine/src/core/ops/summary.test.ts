import type Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { InvalidFilterError, matchesFilters, summarize } from "./summary.js";

function info(status: string, state: string): Docker.ContainerInfo {
  return {
    Id: "abc",
    Names: ["/proj-web-2"],
    Image: "nginx",
    ImageID: "sha256:1",
    Command: "nginx -g daemon off;",
    Created: 1_700_000_000,
    // The engine's order: 443 before 80.
    Ports: [
      { PrivatePort: 443, Type: "tcp" },
      { IP: "0.0.0.0", PrivatePort: 80, PublicPort: 8080, Type: "tcp" },
    ],
    Labels: {
      "com.docker.compose.project": "proj",
      "com.docker.compose.service": "web",
      "com.docker.compose.container-number": "2",
    },
    State: state,
    Status: status,
    HostConfig: { NetworkMode: "default" },
    NetworkSettings: { Networks: { proj_default: {}, proj_back: {} } },
    Mounts: [
      { Name: "proj_data", Source: "/var/lib/docker/volumes/proj_data/_data", Driver: "local" },
      { Name: "", Source: "/srv/site", Type: "bind" },
    ],
  } as Docker.ContainerInfo;
}

describe("summarize", () => {
  it("reads name, service, number, ports and health", () => {
    const s = summarize(info("Up 3 seconds (healthy)", "running"));
    expect(s).toMatchObject({
      name: "proj-web-2",
      service: "web",
      number: 2,
      state: "running",
      health: "healthy",
    });
    expect(s.ports).toEqual([
      { hostIp: "0.0.0.0", privatePort: 80, publicPort: 8080, protocol: "tcp" },
      { privatePort: 443, protocol: "tcp" },
    ]);
    expect(s).toMatchObject({
      project: "proj",
      names: ["/proj-web-2"],
      networks: ["proj_default", "proj_back"],
      mounts: ["proj_data", "/srv/site"],
      localVolumes: 1,
    });
    expect(s.created.toISOString()).toBe("2023-11-14T22:13:20.000Z");
    expect(s.exitCode).toBeUndefined();
    expect(summarize(info("Up 1 second (health: starting)", "running")).health).toBe("starting");
  });

  it("reads the exit code of an exited container", () => {
    expect(summarize(info("Exited (137) 2 seconds ago", "exited")).exitCode).toBe(137);
  });
});

describe("matchesFilters", () => {
  const running = summarize(info("Up", "running"));
  it("filters by state", () => {
    expect(matchesFilters(running, ["running"], [])).toBe(true);
    expect(matchesFilters(running, ["exited"], [])).toBe(false);
    expect(matchesFilters(running, [], ["status=paused"])).toBe(false);
    expect(() => matchesFilters(running, [], ["name=x"])).toThrow(InvalidFilterError);
  });
});
