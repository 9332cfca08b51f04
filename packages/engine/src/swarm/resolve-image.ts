import type Docker from "dockerode";
import type { RegistryAuth } from "../base/registry-auth.js";

export type ResolveImage = "always" | "changed" | "never";

/**
 * `image@digest` from the image's registry, as `docker stack deploy` pins it so every node runs the
 * same image; undefined when the registry cannot be asked (offline, private without credentials).
 */
export async function digestOf(
  docker: Docker,
  image: string,
  auth: RegistryAuth | undefined,
): Promise<string | undefined> {
  try {
    const info = (await docker.getImage(image).distribution({ authconfig: auth })) as {
      Descriptor?: { digest?: string };
    };
    const digest = info.Descriptor?.digest;
    return digest ? `${image}@${digest}` : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the image must be asked for its digest: `changed` keeps the pinned one while the written image stays. */
export function mustResolve(
  policy: ResolveImage,
  written: string,
  previouslyWritten: string | undefined,
): boolean {
  if (policy === "never") return false;
  if (policy === "changed") return written !== previouslyWritten;
  return true;
}
