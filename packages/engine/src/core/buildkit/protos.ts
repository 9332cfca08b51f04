import protobuf from "protobufjs";

/*
 * The messages of the gRPC services a BuildKit session serves, as the engine (dockerd 20.10, BuildKit 0.8)
 * defines them. API definitions copied from:
 * - moby/buildkit `session/{auth,secrets,sshforward,filesync}/*.proto` (Apache License 2.0, the BuildKit authors);
 * - tonistiigi/fsutil `types/{stat,wire}.proto` (MIT License, Copyright 2017 Tõnis Tiigi);
 * - grpc `grpc/health/v1/health.proto` (Apache License 2.0, the gRPC authors).
 * Only the messages the session uses are kept; field numbers and names are the originals'.
 */
const PROTOS = [
  `package moby.filesync.v1;
  message CredentialsRequest { string Host = 1; }
  message CredentialsResponse { string Username = 1; string Secret = 2; }
  message BytesMessage { bytes data = 1; }`,
  `package moby.buildkit.secrets.v1;
  message GetSecretRequest { string ID = 1; map<string, string> annotations = 2; }
  message GetSecretResponse { bytes data = 1; }`,
  `package moby.sshforward.v1;
  message CheckAgentRequest { string ID = 1; }
  message CheckAgentResponse {}`,
  `package fsutil.types;
  message Stat {
    string path = 1;
    uint32 mode = 2;
    uint32 uid = 3;
    uint32 gid = 4;
    int64 size = 5;
    int64 modTime = 6;
    string linkname = 7;
    int64 devmajor = 8;
    int64 devminor = 9;
    map<string, bytes> xattrs = 10;
  }
  message Packet {
    enum PacketType {
      PACKET_STAT = 0;
      PACKET_REQ = 1;
      PACKET_DATA = 2;
      PACKET_FIN = 3;
      PACKET_ERR = 4;
    }
    PacketType type = 1;
    Stat stat = 2;
    uint32 ID = 3;
    bytes data = 4;
  }`,
  `package grpc.health.v1;
  message HealthCheckRequest { string service = 1; }
  message HealthCheckResponse { int32 status = 1; }`,
];

const root = new protobuf.Root();
for (const text of PROTOS) protobuf.parse(`syntax = "proto3";\n${text}`, root, { keepCase: true });

export const Messages = {
  credentialsRequest: root.lookupType("moby.filesync.v1.CredentialsRequest"),
  credentialsResponse: root.lookupType("moby.filesync.v1.CredentialsResponse"),
  bytesMessage: root.lookupType("moby.filesync.v1.BytesMessage"),
  getSecretRequest: root.lookupType("moby.buildkit.secrets.v1.GetSecretRequest"),
  getSecretResponse: root.lookupType("moby.buildkit.secrets.v1.GetSecretResponse"),
  checkAgentRequest: root.lookupType("moby.sshforward.v1.CheckAgentRequest"),
  checkAgentResponse: root.lookupType("moby.sshforward.v1.CheckAgentResponse"),
  packet: root.lookupType("fsutil.types.Packet"),
  healthCheckRequest: root.lookupType("grpc.health.v1.HealthCheckRequest"),
  healthCheckResponse: root.lookupType("grpc.health.v1.HealthCheckResponse"),
} as const;

/** fsutil's packet types. */
export const PacketType = { stat: 0, req: 1, data: 2, fin: 3, err: 4 } as const;

/** `grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING`. */
export const SERVING = 1;
