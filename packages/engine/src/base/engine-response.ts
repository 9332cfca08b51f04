/** What dockerode's errors carry from the engine's answer. */

/** The HTTP status the engine answered with, when it answered. */
export function statusCode(err: unknown): number | undefined {
  return (err as { statusCode?: number }).statusCode;
}

/** The engine's own message when there is one (`json.message`), not dockerode's wrapper text. */
export function engineMessage(err: unknown): string {
  const e = err as { json?: { message?: string }; message?: string } | undefined;
  return e?.json?.message || e?.message || String(err);
}
