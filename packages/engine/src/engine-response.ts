/** What dockerode's errors carry from the engine's answer. */

/** The HTTP status the engine answered with, when it answered. */
export function statusCode(err: unknown): number | undefined {
  return (err as { statusCode?: number }).statusCode;
}

/** The engine's own message when there is one (`json.message`), not dockerode's wrapper text. */
export function engineMessage(err: unknown): string {
  const json = (err as { json?: { message?: string } }).json;
  if (json?.message) return json.message;
  return err instanceof Error ? err.message : String(err);
}
