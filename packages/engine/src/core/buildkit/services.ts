import { connect } from "node:net";
import type { Duplex } from "node:stream";
import * as grpc from "@grpc/grpc-js";
import type { RegistryAuth } from "../../base/registry-auth.js";
import { parseDockerignore } from "../build-context.js";
import { followPaths } from "./fs-walk.js";
import { type Packet, type SendStats, sendFolder } from "./fsutil-send.js";
import { grpcMethod } from "./grpc-methods.js";
import { keyAgentConnection } from "./key-agent.js";
import { Messages, SERVING } from "./protos.js";
import { readSecret } from "./secrets.js";
import { SessionMethods } from "./session-methods.js";
import type { BuildSessionOptions, SecretSource, SyncedDir, TransferStats } from "./session.js";
import type { SshAgent } from "./ssh-agents.js";

/**
 * The gRPC services of a BuildKit session, as the engine calls them (moby/buildkit `session/`): health
 * (the engine drops a session whose health check fails), auth, secrets, sshforward and filesync.
 */

export interface SessionServices {
  secrets: Record<string, SecretSource>;
  sshAgents: Map<string, SshAgent>;
  dirs: Record<string, SyncedDir>;
  auth: NonNullable<BuildSessionOptions["auth"]>;
  onTransfer: (stats: TransferStats) => void;
}

type Service = { definition: grpc.ServiceDefinition; implementation: grpc.UntypedServiceImplementation };

interface BytesMessage {
  data?: Uint8Array;
}

/** The engine's filesync request metadata (moby/buildkit `session/filesync/filesync.go`). */
const DIR_NAME = "dir-name";
const INCLUDE_PATTERNS = "include-patterns";
const EXCLUDE_PATTERNS = "exclude-patterns";
const FOLLOW_PATHS = "followpaths";
const OVERRIDE_EXCLUDES = "override-excludes";
/** The sshforward metadata naming the agent (moby/buildkit `session/sshforward/ssh.go`). */
const SSH_ID = "buildkit.ssh.id";

export function sessionServices(options: SessionServices): Service[] {
  return [health(), auth(options), secrets(options), ssh(options), fileSync(options)];
}

function health(): Service {
  return {
    definition: {
      Check: grpcMethod(
        SessionMethods.healthCheck,
        Messages.healthCheckRequest,
        Messages.healthCheckResponse,
        false,
      ),
    },
    implementation: {
      Check: (_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) =>
        callback(null, { status: SERVING }),
    },
  };
}

function auth(options: SessionServices): Service {
  return {
    definition: {
      Credentials: grpcMethod(
        SessionMethods.credentials,
        Messages.credentialsRequest,
        Messages.credentialsResponse,
        false,
      ),
    },
    implementation: {
      Credentials: (
        call: grpc.ServerUnaryCall<{ Host: string }, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => {
        options.auth(call.request.Host).then(
          (found) => callback(null, credentialsAnswer(found)),
          (error: Error) => callback({ code: grpc.status.UNAVAILABLE, details: error.message }),
        );
      },
    },
  };
}

/** The Auth service's answer, as the docker CLI gives it: an identity token goes alone, as the secret. */
export function credentialsAnswer(found: RegistryAuth | undefined): { Username?: string; Secret?: string } {
  if (!found) return {};
  return found.identitytoken
    ? { Secret: found.identitytoken }
    : { Username: found.username, Secret: found.password };
}

function secrets(options: SessionServices): Service {
  return {
    definition: {
      GetSecret: grpcMethod(
        SessionMethods.getSecret,
        Messages.getSecretRequest,
        Messages.getSecretResponse,
        false,
      ),
    },
    implementation: {
      GetSecret: (
        call: grpc.ServerUnaryCall<{ ID: string }, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => {
        const id = call.request.ID;
        const source = Object.hasOwn(options.secrets, id) ? options.secrets[id] : undefined;
        // NotFound, as buildx answers: the frontend then reports the id (or skips a `required=false` mount).
        if (!source) return callback({ code: grpc.status.NOT_FOUND, details: `secret ${id} not found` });
        readSecret(id, source).then(
          (data) => callback(null, { data }),
          (error: Error) => callback({ code: grpc.status.NOT_FOUND, details: error.message }),
        );
      },
    },
  };
}

function ssh(options: SessionServices): Service {
  const agentOf = (id: string) => (options.sshAgents.has(id) ? options.sshAgents.get(id) : undefined);
  return {
    definition: {
      CheckAgent: grpcMethod(
        SessionMethods.checkAgent,
        Messages.checkAgentRequest,
        Messages.checkAgentResponse,
        false,
      ),
      ForwardAgent: grpcMethod(
        SessionMethods.forwardAgent,
        Messages.bytesMessage,
        Messages.bytesMessage,
        true,
      ),
    },
    implementation: {
      CheckAgent: (
        call: grpc.ServerUnaryCall<{ ID: string }, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => {
        const id = call.request.ID || "default";
        if (agentOf(id) === undefined) {
          return callback({ code: grpc.status.NOT_FOUND, details: `unset ssh forward key ${id}` });
        }
        callback(null, {});
      },
      // One agent connection per forwarded connection of the step, bytes copied both ways.
      ForwardAgent: (call: grpc.ServerDuplexStream<BytesMessage, BytesMessage>) => {
        const id = String(call.metadata.get(SSH_ID)[0] ?? "default");
        const found = agentOf(id);
        if (found === undefined) {
          call.destroy(
            Object.assign(new Error(`unset ssh forward key ${id}`), { code: grpc.status.NOT_FOUND }),
          );
          return;
        }
        const opened: Promise<Duplex> =
          "socket" in found ? Promise.resolve(connect(found.socket)) : keyAgentConnection(found.keys);
        // Until the agent is there, what the engine sends waits in the stream (it is not read yet).
        opened.then(
          (agent) => pipeAgent(call, agent),
          (error: Error) => call.destroy(Object.assign(error, { code: grpc.status.UNAVAILABLE })),
        );
      },
    },
  };
}

/** Bytes both ways between the engine's stream and an agent connection, until either side ends. */
function pipeAgent(call: grpc.ServerDuplexStream<BytesMessage, BytesMessage>, agent: Duplex): void {
  const endCall = () => {
    if (!call.writableEnded) call.end();
  };
  call.on("data", (message: BytesMessage) => {
    if (message.data?.length) agent.write(message.data);
  });
  // The step closed its connection: as buildx, close the agent's and end the stream.
  call.on("end", () => {
    agent.end();
    endCall();
  });
  call.on("error", () => agent.destroy());
  agent.on("data", (data: Buffer) => call.write({ data }));
  agent.on("end", endCall);
  agent.on("error", (error) =>
    call.destroy(Object.assign(error, { code: grpc.status.UNAVAILABLE, details: error.message })),
  );
}

function fileSync(options: SessionServices): Service {
  return {
    definition: {
      DiffCopy: grpcMethod(SessionMethods.diffCopy, Messages.packet, Messages.packet, true),
    },
    implementation: {
      DiffCopy: (call: grpc.ServerDuplexStream<Packet, Packet>) => {
        const meta = (key: string) => metadataList(call.metadata, key);
        const name = meta(DIR_NAME)[0] ?? "";
        const dir = Object.hasOwn(options.dirs, name) ? options.dirs[name] : undefined;
        if (!dir) {
          call.destroy(
            Object.assign(new Error(`no access allowed to dir "${name}"`), { code: grpc.status.NOT_FOUND }),
          );
          return;
        }
        // As buildkit's provider: the dir's own excludes win unless the engine says override-excludes.
        const excludes =
          dir.excludes?.length && meta(OVERRIDE_EXCLUDES)[0] !== "true"
            ? dir.excludes
            : meta(EXCLUDE_PATTERNS);
        transfer(call, dir.path, excludes, meta(INCLUDE_PATTERNS), meta(FOLLOW_PATHS)).then(
          (stats) => options.onTransfer({ dir: name, ...stats }),
          (error: Error) =>
            call.destroy(Object.assign(error, { code: grpc.status.UNKNOWN, details: error.message })),
        );
      },
    },
  };
}

/**
 * The values of a metadata key the engine sends as a list (one header line each): Node's HTTP/2 joins
 * repeated header lines with ", ", so they are split there again.
 */
function metadataList(metadata: grpc.Metadata, key: string): string[] {
  return metadata.get(key).flatMap((value) => String(value).split(", "));
}

async function transfer(
  call: grpc.ServerDuplexStream<Packet, Packet>,
  path: string,
  excludes: string[],
  includes: string[],
  follow: string[],
): Promise<SendStats> {
  const allIncludes = follow.length > 0 ? [...includes, ...(await followPaths(path, follow))] : includes;
  return sendFolder(call, path, {
    excludes: parseDockerignore(excludes.join("\n")),
    ...(allIncludes.length > 0 ? { includes: allIncludes } : {}),
  });
}
