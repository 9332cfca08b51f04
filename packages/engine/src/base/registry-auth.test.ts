import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { authFromConfig, registryAuthForHost, registryOf } from "./registry-auth.js";

describe("registryOf", () => {
  it("tells a registry host from a Docker Hub namespace", () => {
    expect(registryOf("nginx")).toBe("docker.io");
    expect(registryOf("library/nginx:1")).toBe("docker.io");
    expect(registryOf("ghcr.io/org/app:1")).toBe("ghcr.io");
    expect(registryOf("127.0.0.1:5000/app")).toBe("127.0.0.1:5000");
    expect(registryOf("localhost/app")).toBe("localhost");
  });
});

describe("authFromConfig", () => {
  const config = {
    auths: {
      "https://index.docker.io/v1/": { auth: Buffer.from("hubuser:hub:pass").toString("base64") },
      "reg.example:5000": { username: "u", password: "p" },
      "https://token.example": { identitytoken: "tok" },
    },
  };

  it("decodes the credentials of the image's registry", () => {
    expect(authFromConfig(config, "nginx:1")).toEqual({
      username: "hubuser",
      password: "hub:pass",
      serveraddress: "docker.io",
    });
    expect(authFromConfig(config, "reg.example:5000/app")).toEqual({
      username: "u",
      password: "p",
      serveraddress: "reg.example:5000",
    });
    expect(authFromConfig(config, "token.example/app")?.identitytoken).toBe("tok");
    expect(authFromConfig(config, "other.example/app")).toBeUndefined();
  });
});

describe("registryAuthForHost", () => {
  it("finds the credentials of a host as the builder names it (registry-1.docker.io is Docker Hub)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "berth-docker-config-"));
    vi.stubEnv("DOCKER_CONFIG", dir);
    try {
      await writeFile(
        join(dir, "config.json"),
        JSON.stringify({
          auths: {
            "https://index.docker.io/v1/": { auth: Buffer.from("hubuser:pw").toString("base64") },
            "reg.example:5000": { username: "u", password: "p" },
          },
        }),
      );
      expect(await registryAuthForHost("registry-1.docker.io")).toMatchObject({
        username: "hubuser",
        password: "pw",
      });
      expect(await registryAuthForHost("reg.example:5000")).toMatchObject({ username: "u", password: "p" });
      expect(await registryAuthForHost("other.example")).toBeUndefined();
    } finally {
      vi.unstubAllEnvs();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
