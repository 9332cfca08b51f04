import type { Socket } from "node:net";
import * as grpc from "@grpc/grpc-js";
import { type SessionServices, sessionServices } from "./services.js";

/**
 * Serves the session's gRPC services on the socket of `POST /session` (`session-dial.ts`), as moby/buildkit's
 * `session.Run` does. Returns the function that ends the session.
 */
export function serveSession(socket: Socket, services: SessionServices): () => Promise<void> {
  const server = new grpc.Server();
  for (const service of sessionServices(services))
    server.addService(service.definition, service.implementation);
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
