import { ANSI_MODES, PROGRESS_MODES } from "../global-options.js";
import { flags } from "./flag.js";

/** The flags before the command's name (`berth -f a.yaml up`), docker compose's global flags. */
export const GLOBAL_FLAGS = flags(
  { name: "file", short: "f", type: "list", value: "path", help: "compose file (repeatable; - reads stdin)" },
  { name: "project-name", short: "p", type: "string", value: "name", help: "project name" },
  {
    name: "project-directory",
    type: "string",
    value: "path",
    help: "project directory (default: the first compose file's directory)",
  },
  { name: "env-file", type: "list", value: "path", help: "environment file (repeatable)" },
  { name: "profile", type: "list", value: "name", help: "enable a profile (repeatable)" },
  { name: "progress", type: "choice", value: "mode", choices: PROGRESS_MODES, help: "progress output" },
  { name: "ansi", type: "choice", value: "when", choices: ANSI_MODES, help: "control characters" },
  { name: "parallel", type: "string", value: "n", help: "most engine operations at once (-1: no limit)" },
  {
    name: "verbose",
    type: "boolean",
    help: "show more output: each engine request and the stack trace of an error",
  },
  { name: "dry-run", type: "boolean", help: "print what the command would do and why, change nothing" },
);
