import { Agent, type AgentOptions } from "node:http";
import Docker from "dockerode";
import { EngineUnreachableError } from "./errors.js";

const DEFAULT_SOCKET = "/var/run/docker.sock";

/** The engine address as the user would write it, for messages. */
export function describeHost(host: string | undefined): string {
  return host && host.length > 0 ? host : `unix://${DEFAULT_SOCKET}`;
}

/**
 * Requests over a unix socket go through an agent that names no TLS server: Node's default agent works one
 * out for every request, and its first check of whether `localhost` is an IP address compiles a regular
 * expression that costs ~13 ms of CPU per process. Otherwise the default agent's settings.
 */
function socketClient(socketPath: string): Docker {
  const options = { keepAlive: true, scheduling: "lifo", timeout: 5000, servername: "" };
  // dockerode passes `agent` on to its modem; its types leave it out.
  return new Docker({ socketPath, agent: new Agent(options as AgentOptions) } as Docker.DockerOptions);
}

/** A client for `DOCKER_HOST`: `unix:///path`, `tcp://host:port` or `ssh://user@host[:port]`. */
export function connectDocker(host = process.env.DOCKER_HOST): Docker {
  if (!host) return socketClient(DEFAULT_SOCKET);
  if (host.startsWith("unix://")) return socketClient(host.slice("unix://".length) || DEFAULT_SOCKET);
  if (host.startsWith("/")) return socketClient(host);
  const url = new URL(host.includes("://") ? host : `tcp://${host}`);
  if (url.protocol === "ssh:") {
    return new Docker({
      protocol: "ssh",
      host: url.hostname,
      port: url.port ? Number(url.port) : 22,
      username: url.username || undefined,
      sshOptions: { agent: process.env.SSH_AUTH_SOCK },
    } as Docker.DockerOptions);
  }
  const tls = process.env.DOCKER_TLS_VERIFY === "1" || url.port === "2376";
  return new Docker({
    protocol: tls ? "https" : "http",
    host: url.hostname,
    port: url.port ? Number(url.port) : tls ? 2376 : 2375,
  });
}

/** What the engine says about itself in `/_ping`'s headers. */
export interface EngineTraits {
  /** `Builder-Version` (`"2"` for BuildKit), sent by engines from API 1.40 on when set. */
  builderVersion?: string;
  /** `Api-Version`, e.g. `1.41`. */
  apiVersion?: string;
  /** `Ostype`: `linux`, `windows`. */
  osType?: string;
}

const traitsOf = new WeakMap<Docker, Promise<EngineTraits>>();

/**
 * The engine's traits, from one `/_ping` per client: the check that the engine answers (`pingDocker`)
 * also answers which builder to use, without a second round trip.
 */
export function engineTraits(docker: Docker): Promise<EngineTraits> {
  let traits = traitsOf.get(docker);
  if (!traits) {
    traits = pingHeaders(docker);
    traitsOf.set(docker, traits);
    // A failed ping is asked again next time: the engine may be back.
    traits.catch(() => traitsOf.delete(docker));
  }
  return traits;
}

/** `GET /_ping` as a stream request, so that dockerode returns the response and its headers. */
function pingHeaders(docker: Docker): Promise<EngineTraits> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      { path: "/_ping?", method: "GET", isStream: true, statusCodes: { 200: true, 500: "server error" } },
      (err: unknown, res: unknown) => {
        if (err) return reject(err);
        const response = res as NodeJS.ReadableStream & { headers: Record<string, string | undefined> };
        response.resume();
        resolve({
          builderVersion: response.headers["builder-version"],
          apiVersion: response.headers["api-version"],
          osType: response.headers.ostype,
        });
      },
    );
  });
}

/** Fails with `EngineUnreachableError` when the engine does not answer. */
export async function pingDocker(docker: Docker, host = process.env.DOCKER_HOST): Promise<void> {
  try {
    await engineTraits(docker);
  } catch (cause) {
    throw new EngineUnreachableError(describeHost(host), { cause });
  }
}
