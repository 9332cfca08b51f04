/**
 * Runs `fn` while our stdin feeds a container: in raw mode when a remote TTY owns the terminal, so keys
 * (Ctrl-C too) reach the container. Afterwards stdin is let go, or it would keep the process alive.
 */
export async function withRawStdin<T>(tty: boolean, fn: () => Promise<T>): Promise<T> {
  const stdin = process.stdin;
  const raw = tty && stdin.isTTY === true;
  if (raw) stdin.setRawMode(true);
  try {
    return await fn();
  } finally {
    if (raw) stdin.setRawMode(false);
    stdin.unpipe();
    stdin.destroy();
  }
}
