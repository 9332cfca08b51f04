import { constants } from "node:fs";
import { access, readFile } from "node:fs/promises";
import { BuildSecretUnavailableError } from "./errors.js";
import type { SecretSource } from "./session.js";

/**
 * The value of a build secret, read when the engine asks for it (so it never waits in memory longer than
 * the step needs it). Throws BuildSecretUnavailableError when its source is missing.
 */
export async function readSecret(id: string, source: SecretSource): Promise<Buffer> {
  if (source.env !== undefined) {
    const value = process.env[source.env];
    if (value === undefined) {
      throw new BuildSecretUnavailableError(id, `environment variable ${source.env} is not set`);
    }
    return Buffer.from(value);
  }
  try {
    return await readFile(source.file);
  } catch (error) {
    throw unreadable(id, source.file, error);
  }
}

/** Checks every source before a build starts, so that a missing one fails before anything is built. */
export async function checkSecrets(secrets: Record<string, SecretSource>): Promise<void> {
  for (const [id, source] of Object.entries(secrets)) {
    if (source.env !== undefined) {
      if (process.env[source.env] === undefined) {
        throw new BuildSecretUnavailableError(id, `environment variable ${source.env} is not set`);
      }
      continue;
    }
    try {
      await access(source.file, constants.R_OK);
    } catch (error) {
      throw unreadable(id, source.file, error);
    }
  }
}

function unreadable(id: string, file: string, error: unknown): BuildSecretUnavailableError {
  return new BuildSecretUnavailableError(
    id,
    `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
  );
}
