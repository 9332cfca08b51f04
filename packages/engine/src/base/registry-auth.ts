import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

/** What the engine takes in `X-Registry-Auth`. */
export interface RegistryAuth {
  username: string;
  password: string;
  serveraddress: string;
  identitytoken?: string;
}

/** The part of `~/.docker/config.json` that `docker login` writes without a credential helper. */
export interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
}

const DOCKER_HUB = "docker.io";

/** The registry host of an image reference (`docker.io` when its first part is no host). */
export function registryOf(image: string): string {
  const slash = image.indexOf("/");
  if (slash === -1) return DOCKER_HUB;
  const first = image.slice(0, slash);
  return first.includes(".") || first.includes(":") || first === "localhost" ? first : DOCKER_HUB;
}

/** `https://index.docker.io/v1/` and `https://reg:5000` are written for `docker.io` and `reg:5000`. */
function normalizeKey(key: string): string {
  const host = key.replace(/^https?:\/\//, "").split("/")[0];
  return host === "index.docker.io" || host === "registry-1.docker.io" ? DOCKER_HUB : host;
}

/** Credentials for the image's registry from a docker config file, if it holds any. Pure. */
export function authFromConfig(config: DockerConfigFile, image: string): RegistryAuth | undefined {
  return authForRegistry(config, registryOf(image));
}

function authForRegistry(config: DockerConfigFile, registry: string): RegistryAuth | undefined {
  const entry = Object.entries(config.auths ?? {}).find(([key]) => normalizeKey(key) === registry)?.[1];
  if (!entry) return undefined;
  let { username = "", password = "" } = entry;
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, "base64").toString();
    const colon = decoded.indexOf(":");
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  return {
    username,
    password,
    serveraddress: registry,
    ...(entry.identitytoken ? { identitytoken: entry.identitytoken } : {}),
  };
}

/**
 * Credentials for the image's registry from `$DOCKER_CONFIG/config.json` (or `~/.docker/config.json`).
 * Credential helpers (`credsStore`) are not consulted.
 */
export async function registryAuth(image: string): Promise<RegistryAuth | undefined> {
  const config = await readDockerConfig();
  return config && authFromConfig(config, image);
}

/** Credentials for a registry host as the builder names it (`registry-1.docker.io`, `reg:5000`). */
export async function registryAuthForHost(host: string): Promise<RegistryAuth | undefined> {
  const config = await readDockerConfig();
  return config && authForRegistry(config, normalizeKey(host));
}

async function readDockerConfig(): Promise<DockerConfigFile | undefined> {
  const dir = process.env.DOCKER_CONFIG ?? join(homedir(), ".docker");
  try {
    return JSON.parse(await readFile(join(dir, "config.json"), "utf8")) as DockerConfigFile;
  } catch {
    // No config file, or one docker itself would reject: pull and push anonymously.
    return undefined;
  }
}
