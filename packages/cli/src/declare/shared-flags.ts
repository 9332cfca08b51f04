// Flags that several commands take, declared once so that their help, parsing and value type agree.
import { UsageError } from "../errors.js";
import { flag, flags } from "./flag.js";

export const TIMEOUT = flag({
  name: "timeout",
  short: "t",
  type: "integer",
  value: "seconds",
  help: "seconds to wait for containers to stop before killing them",
});

export const REMOVE_ORPHANS = flag({
  name: "remove-orphans",
  type: "boolean",
  help: "remove containers of services not in the compose file",
});

export const NO_DEPS = flag({ name: "no-deps", type: "boolean", help: "do not start linked services" });

/** How `up`, `create` and `run` get their images. */
export const BUILD = flag({
  name: "build",
  type: "boolean",
  help: "build images before creating containers",
});
export const PULL = flag({
  name: "pull",
  type: "choice",
  value: "policy",
  choices: ["always", "missing", "never"],
  help: "pull images before creating containers",
});
export const QUIET_PULL = flag({
  name: "quiet-pull",
  type: "boolean",
  help: "pull without printing progress",
});
export const IMAGE_FLAGS = flags(
  BUILD,
  { name: "no-build", type: "boolean", help: "do not build images, even when missing" },
  PULL,
  QUIET_PULL,
);

/** Whether `up` and `create` replace existing containers. */
export const RECREATE_FLAGS = flags(
  {
    name: "force-recreate",
    type: "boolean",
    help: "recreate containers even if their configuration is unchanged",
  },
  {
    name: "no-recreate",
    type: "boolean",
    help: "keep existing containers even if their configuration changed",
  },
  REMOVE_ORPHANS,
);

export const SCALE = flag({
  name: "scale",
  type: "list",
  value: "service=n",
  help: "scale a service to n containers (repeatable)",
});

/** `--index N` of a command that reads all of a service's containers unless given one. */
export const INDEX = flag({
  name: "index",
  type: "integer",
  value: "n",
  help: "container index of the service",
});
/** `--index N` of a command that acts on one container, the first unless told. */
export const INDEX_OR_FIRST = flag({ ...INDEX, default: 1 });
/** `--index N` of a command that acts on one running container. */
export const INDEX_OR_FIRST_RUNNING = flag({
  ...INDEX,
  help: "container index of the service (default: the first running one)",
});

/** Refused with the words the list commands have always used; parsed before the command runs. */
function tableOrJson(value: string): string {
  if (value !== "table" && value !== "json")
    throw new UsageError(`unknown --format "${value}": use table or json`);
  return value;
}

/** `--format` of the list commands that print compose's table or its JSON. */
export const TABLE_FORMAT = flag({
  name: "format",
  type: "string",
  value: "format",
  default: "table",
  parse: tableOrJson,
  help: "table or json",
});

/** `--format` of the commands that also take docker's Go templates. */
export const TEMPLATE_FORMAT = flag({
  name: "format",
  type: "string",
  value: "format",
  default: "table",
  help: "table, json, 'table TEMPLATE' or a Go template such as '{{.Name}}'",
});

/** `-q` of the commands that otherwise show progress (build, pull, push). */
export const QUIET = flag({ name: "quiet", short: "q", type: "boolean", help: "print nothing" });

/** How `up` and `logs` print log lines. */
export const NO_LOG_PREFIX = flag({
  name: "no-log-prefix",
  type: "boolean",
  help: "do not prefix log lines with the container name",
});
export const NO_COLOR = flag({ name: "no-color", type: "boolean", help: "monochrome output" });

/** What `exec` and `run` set for the command they start. */
export const ENV = flag({
  name: "env",
  short: "e",
  type: "list",
  value: "key=value",
  help: "set an environment variable (repeatable)",
});
export const USER = flag({
  name: "user",
  short: "u",
  type: "string",
  value: "user",
  help: "run as this user",
});
export const NO_TTY = flag({
  name: "no-tty",
  short: "T",
  type: "boolean",
  help: "do not allocate a pseudo-TTY",
});
