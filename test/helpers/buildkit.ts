import type Dockerode from "dockerode";

/** What one `POST /build?version=2` answered: the image id, or the engine's error, and every stream line. */
export interface RawBuildResult {
  imageId?: string;
  error?: string;
  /** Every `stream` text and decoded-as-text trace of the response, to look for leaked values. */
  output: string;
}

/**
 * A BuildKit build through the bare Engine API, for tests of the session alone (Berth's builder is
 * `images.ts`). `query` is merged over `version=2`; with `remote=client-session` the body is empty.
 */
export function rawBuildkitBuild(
  docker: Dockerode,
  query: Record<string, unknown>,
  body?: NodeJS.ReadableStream,
): Promise<RawBuildResult> {
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
        const result: RawBuildResult = { output: "" };
        docker.modem.followProgress(
          stream as NodeJS.ReadableStream,
          (finished) => (finished ? reject(finished) : resolve(result)),
          (event: { stream?: string; aux?: unknown; id?: string; error?: string }) => {
            if (event.stream) result.output += event.stream;
            if (event.id === "moby.buildkit.trace" && typeof event.aux === "string") {
              result.output += Buffer.from(event.aux, "base64").toString("latin1");
            }
            if (event.id === "moby.image.id") result.imageId = (event.aux as { ID: string }).ID;
            if (event.error) result.error = event.error;
          },
        );
      },
    );
  });
}
