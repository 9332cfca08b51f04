import type { Socket } from "node:net";
import * as grpc from "@grpc/grpc-js";
import type Dockerode from "dockerode";
import { BuildSessionError } from "./errors.js";
import { type SessionServices, methodPaths, sessionServices } from "./services.js";

export interface SessionIdentity {
  id: string;
  name: string;
  sharedKey: string;
  services: SessionServices;
}

/**
 * Dials `POST /session` (upgraded to h2c) and serves the session's gRPC services on the hijacked socket, as
 * moby/buildkit's `session.Run` does: the headers name the session, its shared key and every method it
 * serves (the engine calls no other). Resolves to the function that ends the session.
 */
export async function serveSession(
  docker: Dockerode,
  session: SessionIdentity,
): Promise<() => Promise<void>> {
  const services = sessionServices(session.services);
  const socket = await dialSession(docker, {
    "X-Docker-Expose-Session-Uuid": session.id,
    "X-Docker-Expose-Session-Name": session.name,
    "X-Docker-Expose-Session-Sharedkey": session.sharedKey,
    "X-Docker-Expose-Session-Grpc-Method": methodPaths(services),
  });
  // The build request reports an engine that goes away; on the session's socket it only ends the session.
  socket.on("error", () => {});
  const server = new grpc.Server();
  for (const service of services) server.addService(service.definition, service.implementation);
  server.createConnectionInjector(grpc.ServerCredentials.createInsecure()).injectConnection(socket);

  let closed: Promise<void> | undefined;
  return () => {
    // One turn of the event loop first: Node's http2 session feeds bytes already read from the socket to
    // its handle on a later tick, and throws (uncaught, in Node's code) if the session is gone by then.
    closed ??= new Promise<void>((done) =>
      setImmediate(() => {
        server.forceShutdown();
        if (socket.destroyed) return done();
        socket.once("close", () => done());
        socket.destroy();
      }),
    );
    return closed;
  };
}

/** `POST /session` upgraded to h2c: the hijacked socket on which the session serves gRPC. */
function dialSession(docker: Dockerode, headers: Record<string, string | string[]>): Promise<Socket> {
  return new Promise((resolvePromise, reject) => {
    docker.modem.dial(
      {
        method: "POST",
        path: "/session",
        hijack: true,
        headers: { Upgrade: "h2c", ...headers },
        statusCodes: {
          101: true,
          200: true,
          400: "bad request",
          404: "no BuildKit on this engine",
          500: "server error",
        },
      },
      (error, socket) => {
        if (error) reject(new BuildSessionError(error.message, { cause: error }));
        else resolvePromise(socket as Socket);
      },
    );
  });
}
