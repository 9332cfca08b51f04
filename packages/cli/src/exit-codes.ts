/** Exit statuses, as docker compose uses them. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  /** Unknown command or flag, missing or malformed argument. */
  usage: 2,
  /** 128 + SIGINT: the user pressed Ctrl-C. */
  interrupted: 130,
  /** 128 + SIGPIPE: the reader of our output went away (`berth config | head`), as docker compose ends. */
  brokenPipe: 141,
} as const;
