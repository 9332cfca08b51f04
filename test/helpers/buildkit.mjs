// A BuildKit build through the bare Engine API, for the tests and the bench of the BuildKit session alone
// (Berth's builder is the engine package's `images.ts`). Plain JS so that bench/ can use it too.

/**
 * @typedef {object} RawBuildResult
 * @property {string} [imageId]
 * @property {string} [error] the engine's error, if the build failed
 * @property {string} output every `stream` text and trace (decoded as text) of the response, to look for leaked values
 */

/**
 * `POST /build?version=2` with `query` merged over `version=2`; with `remote=client-session` the body is empty.
 * @param {import("dockerode")} docker
 * @param {Record<string, unknown>} query
 * @param {NodeJS.ReadableStream} [body] a tar of the context, when it is not served over the session
 * @returns {Promise<RawBuildResult>}
 */
export function rawBuildkitBuild(docker, query, body) {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: "/build?",
        method: "POST",
        options: { version: "2", ...query },
        file: body ?? Buffer.alloc(0),
        isStream: true,
        headers: { "Content-Type": "application/x-tar" },
        statusCodes: { 200: true, 400: "bad parameter", 500: "server error" },
      },
      (error, stream) => {
        if (error) return reject(error);
        /** @type {RawBuildResult} */
        const result = { output: "" };
        docker.modem.followProgress(
          stream,
          (finished) => (finished ? reject(finished) : resolve(result)),
          (event) => {
            if (event.stream) result.output += event.stream;
            if (event.id === "moby.buildkit.trace" && typeof event.aux === "string") {
              result.output += Buffer.from(event.aux, "base64").toString("latin1");
            }
            if (event.id === "moby.image.id") result.imageId = event.aux.ID;
            if (event.error) result.error = event.error;
          },
        );
      },
    );
  });
}
