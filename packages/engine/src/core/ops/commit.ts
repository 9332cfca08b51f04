import type Docker from "dockerode";
import type { EventListener } from "../../base/events.js";
import { splitImageRef } from "../image-policy.js";
import { containerName, runningServiceContainer, serviceOf } from "./select.js";

export interface CommitOptions {
  /** Container number (`--index`); by default the first running container of the service. */
  index?: number;
  /** `REPOSITORY[:TAG]` of the new image; without it the image is untagged. */
  reference?: string;
  comment?: string;
  author?: string;
  /** Dockerfile instructions applied to the image (`-c "ENV A=1"`). */
  changes?: string[];
  /** Pause the container while committing (docker compose's default). */
  pause?: boolean;
  onEvent?: EventListener;
}

/** `commit`: a new image from a running service container's changes; returns the image ID. */
export async function commitService(
  docker: Docker,
  projectName: string,
  service: string,
  opts: CommitOptions = {},
): Promise<string> {
  const info = await runningServiceContainer(docker, projectName, service, opts.index);
  const name = containerName(info);
  const emit = (action: string, status: "working" | "done", detail?: string) =>
    opts.onEvent?.({ kind: "container", name, service: serviceOf(info), action, status, detail });
  emit("Committing", "working");
  const ref = opts.reference ? splitImageRef(opts.reference) : undefined;
  // Only what was given: the engine's query string would read an absent value as an empty one.
  const query = Object.fromEntries(
    Object.entries({
      repo: ref?.repository,
      tag: ref?.tag,
      comment: opts.comment,
      author: opts.author,
      changes: opts.changes,
      pause: opts.pause ?? true,
    }).filter(([, value]) => value !== undefined),
  );
  const result = (await docker.getContainer(info.Id).commit(query)) as { Id: string };
  emit("Committed", "done", `as ${result.Id}`);
  return result.Id;
}
