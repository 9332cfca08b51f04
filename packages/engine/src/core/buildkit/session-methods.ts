/**
 * The gRPC methods a session serves, by path (moby/buildkit `session/`; grpc health). `POST /session`
 * announces them in its headers, and the engine calls no other; they are plain text here so that the
 * session can be opened before gRPC is loaded.
 */
export const SessionMethods = {
  healthCheck: "/grpc.health.v1.Health/Check",
  credentials: "/moby.filesync.v1.Auth/Credentials",
  getSecret: "/moby.buildkit.secrets.v1.Secrets/GetSecret",
  checkAgent: "/moby.sshforward.v1.SSH/CheckAgent",
  forwardAgent: "/moby.sshforward.v1.SSH/ForwardAgent",
  diffCopy: "/moby.filesync.v1.FileSync/DiffCopy",
} as const;
