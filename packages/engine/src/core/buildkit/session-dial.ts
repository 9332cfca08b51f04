import type { Socket } from "node:net";
import type Dockerode from "dockerode";
import { BuildSessionError } from "./errors.js";
import { SessionMethods } from "./session-methods.js";

export interface SessionHeaders {
  id: string;
  name: string;
  sharedKey: string;
}

/**
 * `POST /session` upgraded to h2c: the hijacked socket on which the session then serves gRPC. The headers
 * name the session, its shared key and every method it serves (the engine calls no other), as moby/buildkit's
 * `session.Run` does. What the engine sends before the session serves waits in the socket (it is paused).
 */
export function dialSession(docker: Dockerode, session: SessionHeaders): Promise<Socket> {
  return new Promise((resolvePromise, reject) => {
    docker.modem.dial(
      {
        method: "POST",
        path: "/session",
        hijack: true,
        headers: {
          Upgrade: "h2c",
          "X-Docker-Expose-Session-Uuid": session.id,
          "X-Docker-Expose-Session-Name": session.name,
          "X-Docker-Expose-Session-Sharedkey": session.sharedKey,
          "X-Docker-Expose-Session-Grpc-Method": Object.values(SessionMethods),
        },
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
