import { createHash, randomUUID } from "node:crypto";
import { basename, resolve } from "node:path";
import type Dockerode from "dockerode";
import { type RegistryAuth, registryAuthForHost } from "../../base/registry-auth.js";
import { checkSecrets } from "./secrets.js";
import { dialSession } from "./session-dial.js";
import { resolveSshAgents } from "./ssh-agents.js";

/**
 * A BuildKit session: the client side of `POST /session`, which the engine's builder calls back during a
 * build for the context's files (filesync), `RUN --mount=type=secret` values (secrets), `RUN
 * --mount=type=ssh` (sshforward) and registry credentials (auth).
 *
 * How a build uses it (dockerd 20.10, `builder/builder-next/builder.go` and `api/server/router/build`):
 * - open the session first, then `POST /build?version=2&session=<id>` (see `sessionBuildQuery`);
 * - to serve the context over filesync instead of a tar body, add `remote=client-session` and send an
 *   empty body: the Dockerfile frontend then reads the session's `context` dir and its `dockerfile` dir
 *   (the Dockerfile's folder: the `dockerfile` query parameter is then the file's name inside it, and
 *   `<name>.dockerignore` beside it is honoured by the frontend). Without `remote`, the tar body is the
 *   context and the session only serves secrets, ssh and auth. A `dockerfile_inline` or a Dockerfile
 *   outside the context is served as a `dockerfile` dir of its own (a temporary folder);
 * - give `dirs.context.excludes` (the lines of `.dockerignore` or `<Dockerfile>.dockerignore`, as the
 *   docker CLI reads them): otherwise the frontend sends the patterns it read in gRPC metadata, where
 *   Node's HTTP/2 joins repeated values with ", ", so a pattern containing ", " would be split;
 * - the engine keeps the last transfer of each dir under the session's `sharedKey` (with the dir's name),
 *   so the next build with the same key receives only the files whose size, mode or mtime changed;
 * - close the session when the build response has ended. Closing it does not stop a step that is
 *   running (checked: a `RUN sleep` went on to the end); ending the build request is what cancels the
 *   solve (the builder runs it under the request's context);
 * - BuildKit's cache keys leave secret values and ssh agents out: a step whose output depends on them is
 *   reused from cache after they change, as with docker (`no_cache` or a changed step rebuilds it).
 */

/** Where a build secret's value comes from: a file, or an environment variable of the Berth process. */
export type SecretSource = { file: string; env?: undefined } | { env: string; file?: undefined };

/** A local folder the engine may read over filesync. */
export interface SyncedDir {
  path: string;
  /** `.dockerignore` pattern lines; when given they replace the excludes the frontend asks for. */
  excludes?: string[];
}

export interface BuildSessionOptions {
  /** Shown in the engine's logs; the context folder's name by default. */
  name?: string;
  /**
   * Key under which the engine keeps the previous transfer of each dir. Defaults to a hash of the dirs'
   * paths, so the same context reuses its last transfer and different contexts never share one.
   */
  sharedKey?: string;
  /** Build secrets by id (`RUN --mount=type=secret,id=ID`); an unknown id answers NotFound. */
  secrets?: Record<string, SecretSource>;
  /**
   * SSH agents by id (`RUN --mount=type=ssh,id=ID`): agent sockets or private key files (served by an
   * agent the session holds). An empty list for `default` means `$SSH_AUTH_SOCK`.
   */
  ssh?: Record<string, string[]>;
  /** Folders served over filesync: `context`, `dockerfile`, and named contexts. */
  dirs?: Record<string, SyncedDir>;
  /** Registry credentials for a host; by default those of the docker config file (`registry-auth.ts`). */
  auth?: (host: string) => Promise<RegistryAuth | undefined>;
}

/** What crossed the socket in one filesync transfer (one `DiffCopy` call of the engine). */
export interface TransferStats {
  dir: string;
  /** Files and folders announced (STAT packets). */
  entries: number;
  /** Files whose content the engine asked for. */
  filesSent: number;
  /** Bytes of file content sent. */
  bytesSent: number;
}

export interface BuildSession {
  id: string;
  sharedKey: string;
  /** Every filesync transfer so far, in the order they ended. */
  readonly transfers: readonly TransferStats[];
  /** Ends the session: the engine stops calling it and cancels a solve that still needs it. */
  close(): Promise<void>;
}

/** Query parameters that make `POST /build` use the session (merge them into the build's query). */
export function sessionBuildQuery(
  session: Pick<BuildSession, "id">,
  contextOverSession: boolean,
): Record<string, string> {
  return contextOverSession ? { session: session.id, remote: "client-session" } : { session: session.id };
}

/**
 * Opens a session on the engine and serves it until `close()`. Secrets, ssh agents and dirs are checked
 * first: a missing secret file, unset variable or agent fails here, before anything is built.
 */
export async function openBuildSession(
  docker: Dockerode,
  options: BuildSessionOptions = {},
): Promise<BuildSession> {
  const secrets = options.secrets ?? {};
  const dirs = options.dirs ?? {};
  await checkSecrets(secrets);
  const sshAgents = await resolveSshAgents(options.ssh ?? {});
  const transfers: TransferStats[] = [];
  const id = randomUUID();
  const sharedKey = options.sharedKey ?? defaultSharedKey(dirs);
  const contextPath = dirs.context?.path;
  const name = headerSafe(options.name ?? (contextPath ? basename(resolve(contextPath)) : "berth"));
  const socket = await dialSession(docker, { id, name, sharedKey });
  // The build request reports an engine that goes away; on the session's socket it only ends the session.
  socket.on("error", () => {});
  // gRPC is loaded with the first build (commands that build nothing do not pay for it), one event-loop
  // turn after the session is open: the caller's `POST /build` is then on its way, and the engine starts
  // the solve (~50 ms here) while gRPC loads (~50 ms of CPU); it calls the session only after that, and
  // what it sends before waits in the paused socket.
  const serving = new Promise((turn) => setImmediate(turn))
    .then(() => import("./session-server.js"))
    .then(({ serveSession }) =>
      serveSession(socket, {
        secrets,
        sshAgents,
        dirs,
        auth: options.auth ?? registryAuthForHost,
        onTransfer: (stats) => transfers.push(stats),
      }),
    );
  // A session that cannot serve ends at once, so that the build fails instead of waiting for it.
  serving.catch(() => socket.destroy());
  const close = async () => {
    const stop = await serving;
    await stop();
  };
  return { id, sharedKey, transfers, close };
}

/**
 * The name travels in an HTTP header, where Node refuses characters outside printable ASCII; it is only
 * shown in the engine's logs.
 */
export function headerSafe(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, "_");
}

/** The same dirs (by absolute path) give the same key, so the engine can reuse their last transfer. */
function defaultSharedKey(dirs: Record<string, SyncedDir>): string {
  const paths = Object.entries(dirs)
    .map(([name, dir]) => `${name}=${resolve(dir.path)}`)
    .sort();
  return createHash("sha256").update(paths.join("\n")).digest("hex").slice(0, 32);
}
