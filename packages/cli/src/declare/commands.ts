// Every berth command as data (see command.ts): program.ts turns this list into commander commands.
// Each command's flags are a constant of their own, and the handler's options are their `FlagValues`;
// its positional arguments are the `ArgumentValues` of its `arguments`.
import { type Argument, args } from "./argument.js";
import { type DeclaredCommand, defineCommand } from "./command.js";
import { type FlagValues, flags } from "./flag.js";
import { GLOBAL_FLAGS } from "./global-flags.js";
import {
  BUILD,
  ENV,
  IMAGE_FLAGS,
  INDEX,
  INDEX_OR_FIRST,
  INDEX_OR_FIRST_RUNNING,
  NO_COLOR,
  NO_DEPS,
  NO_LOG_PREFIX,
  NO_TTY,
  PULL,
  QUIET,
  QUIET_PULL,
  RECREATE_FLAGS,
  REMOVE_ORPHANS,
  SCALE,
  TABLE_FORMAT,
  TEMPLATE_FORMAT,
  TIMEOUT,
  USER,
} from "./shared-flags.js";

/** `[service...]`: the services a command acts on, all of them when none is named. */
const SERVICES = { name: "service", kind: "variadic" } as const satisfies Argument;
/** `<service>`: the one service a command acts on. */
const SERVICE = { name: "service", kind: "one" } as const satisfies Argument;

const UP_FLAGS = flags(
  { name: "detach", short: "d", type: "boolean", help: "run containers in the background" },
  ...IMAGE_FLAGS,
  {
    name: "wait",
    type: "boolean",
    help: "wait for services to be running and healthy (implies --detach)",
  },
  { name: "wait-timeout", type: "integer", value: "seconds", help: "most seconds to wait with --wait" },
  ...RECREATE_FLAGS,
  NO_DEPS,
  SCALE,
  TIMEOUT,
  { name: "abort-on-container-exit", type: "boolean", help: "stop all containers when one stops" },
  {
    name: "exit-code-from",
    type: "string",
    value: "service",
    help: "exit with this service's exit code (implies --abort-on-container-exit)",
  },
  { name: "attach", type: "list", value: "service", help: "show only these services' logs (repeatable)" },
  {
    name: "no-attach",
    type: "list",
    value: "service",
    help: "do not show these services' logs (repeatable)",
  },
  NO_LOG_PREFIX,
  NO_COLOR,
  { name: "timestamps", type: "boolean", help: "show timestamps in logs" },
  {
    name: "watch",
    short: "w",
    type: "boolean",
    help: "act on the services' develop.watch rules while attached (sync, rebuild, restart)",
  },
);
export type UpFlags = FlagValues<typeof UP_FLAGS>;

const WATCH_FLAGS = flags(
  { name: "no-up", type: "boolean", help: "do not build and start the services first" },
  { name: "prune", type: "boolean", help: "after a rebuild, remove the image it replaced" },
  { name: "quiet", type: "boolean", help: "hide build progress, show only what each change did" },
);
export type WatchFlags = FlagValues<typeof WATCH_FLAGS>;

const CREATE_FLAGS = flags(...IMAGE_FLAGS, ...RECREATE_FLAGS, SCALE);
export type CreateFlags = FlagValues<typeof CREATE_FLAGS>;

const DOWN_FLAGS = flags(
  {
    name: "rmi",
    type: "choice",
    value: "type",
    choices: ["local", "all"],
    help: "also remove images: local (built ones) or all",
  },
  { name: "volumes", short: "v", type: "boolean", help: "also remove named volumes and anonymous volumes" },
  REMOVE_ORPHANS,
  TIMEOUT,
);
export type DownFlags = FlagValues<typeof DOWN_FLAGS>;

const PS_FLAGS = flags(
  { name: "all", short: "a", type: "boolean", help: "include stopped containers" },
  { name: "quiet", short: "q", type: "boolean", help: "only container IDs" },
  { name: "services", type: "boolean", help: "only service names" },
  { name: "status", type: "list", value: "status", help: "only containers in this state (repeatable)" },
  { name: "filter", type: "string", value: "key=value", help: "filter by a property (status=running)" },
  TABLE_FORMAT,
);
export type PsFlags = FlagValues<typeof PS_FLAGS>;

const LOGS_FLAGS = flags(
  { name: "follow", short: "f", type: "boolean", help: "keep streaming new output" },
  {
    name: "tail",
    short: "n",
    type: "string",
    value: "lines",
    default: "all",
    help: 'lines from the end of each log ("all" for every line)',
  },
  {
    name: "since",
    type: "string",
    value: "time",
    help: "logs since a timestamp (2013-01-02T13:23:37Z) or relative time (42m)",
  },
  { name: "until", type: "string", value: "time", help: "logs before a timestamp or relative time" },
  { name: "timestamps", short: "t", type: "boolean", help: "show timestamps" },
  NO_COLOR,
  NO_LOG_PREFIX,
  INDEX,
);
export type LogsFlags = FlagValues<typeof LOGS_FLAGS>;

const CONFIG_FLAGS = flags(
  {
    name: "format",
    type: "choice",
    value: "format",
    choices: ["yaml", "json"],
    default: "yaml",
    help: "output format",
  },
  { name: "services", type: "boolean", help: "print the service names, one per line" },
  { name: "volumes", type: "boolean", help: "print the volume names, one per line" },
  { name: "profiles", type: "boolean", help: "print the profile names, one per line" },
  { name: "images", type: "boolean", help: "print the image names, one per line" },
  { name: "quiet", short: "q", type: "boolean", help: "only validate, print nothing" },
  { name: "no-interpolate", type: "boolean", help: "do not replace variables" },
  { name: "output", short: "o", type: "string", value: "path", help: "write to this file instead of stdout" },
  {
    name: "show-secrets",
    type: "boolean",
    help: "on a terminal, also print values of variables named like passwords, tokens and keys",
  },
);
export type ConfigFlags = FlagValues<typeof CONFIG_FLAGS>;

const BUILD_FLAGS = flags(
  QUIET,
  { name: "no-cache", type: "boolean", help: "do not use the build cache" },
  { name: "pull", type: "boolean", help: "always pull newer versions of the base images" },
  // compose's deprecated, hidden flag, which clients still pass: builds always run in parallel.
  { name: "parallel", type: "boolean", hidden: true, help: "build images in parallel" },
  {
    name: "build-arg",
    type: "list",
    value: "key=value",
    help: "set a build argument; KEY alone takes its value from the environment (repeatable)",
  },
);
export type BuildFlags = FlagValues<typeof BUILD_FLAGS>;

const PULL_FLAGS = flags(
  {
    name: "ignore-pull-failures",
    type: "boolean",
    help: "pull what can be pulled and ignore images that fail",
  },
  { name: "include-deps", type: "boolean", help: "also pull the services the named ones depend on" },
  { name: "ignore-buildable", type: "boolean", help: "skip the images that services can build" },
  {
    name: "policy",
    type: "choice",
    value: "policy",
    choices: ["missing", "always"],
    help: "pull_policy of every service with an image",
  },
  QUIET,
);
export type PullFlags = FlagValues<typeof PULL_FLAGS>;

const PUSH_FLAGS = flags(
  {
    name: "ignore-push-failures",
    type: "boolean",
    help: "push what can be pushed and ignore images that fail",
  },
  QUIET,
);
export type PushFlags = FlagValues<typeof PUSH_FLAGS>;

const EXEC_FLAGS = flags(
  {
    name: "detach",
    short: "d",
    type: "boolean",
    help: "run the command in the background and return at once",
  },
  NO_TTY,
  ENV,
  USER,
  { name: "workdir", short: "w", type: "string", value: "path", help: "working directory of the command" },
  INDEX_OR_FIRST,
  { name: "privileged", type: "boolean", help: "give extended privileges to the command" },
);
export type ExecFlags = FlagValues<typeof EXEC_FLAGS>;

const RUN_FLAGS = flags(
  {
    name: "detach",
    short: "d",
    type: "boolean",
    help: "run the container in the background and print its ID",
  },
  { name: "rm", type: "boolean", help: "remove the container when it exits" },
  ENV,
  { name: "entrypoint", type: "string", value: "command", help: "override the image's entrypoint" },
  NO_DEPS,
  {
    name: "publish",
    short: "p",
    type: "list",
    value: "port",
    help: "publish a container port to the host (repeatable)",
  },
  { name: "service-ports", type: "boolean", help: "publish the service's ports" },
  NO_TTY,
  { name: "volume", short: "v", type: "list", value: "bind", help: "bind mount a volume (repeatable)" },
  { name: "name", type: "string", value: "name", help: "name of the container" },
  USER,
  { name: "workdir", short: "w", type: "string", value: "path", help: "working directory in the container" },
  { name: "label", short: "l", type: "list", value: "key=value", help: "add a label (repeatable)" },
  BUILD,
  PULL,
  QUIET_PULL,
);
export type RunFlags = FlagValues<typeof RUN_FLAGS>;

const STOP_FLAGS = flags(TIMEOUT);
const KILL_FLAGS = flags({
  name: "signal",
  short: "s",
  type: "string",
  value: "signal",
  default: "SIGKILL",
  help: "signal to send",
});
/** start, stop, restart, kill, pause and unpause share one handler, which takes each one's flags. */
export type LifecycleFlags = Partial<FlagValues<typeof STOP_FLAGS> & FlagValues<typeof KILL_FLAGS>>;

const RM_FLAGS = flags(
  { name: "force", short: "f", type: "boolean", help: "do not ask for confirmation" },
  { name: "stop", short: "s", type: "boolean", help: "stop the containers first" },
  { name: "volumes", short: "v", type: "boolean", help: "remove anonymous volumes of the containers" },
);
export type RmFlags = FlagValues<typeof RM_FLAGS>;

const VERSION_FLAGS = flags(
  {
    name: "format",
    type: "choice",
    value: "format",
    choices: ["pretty", "json"],
    default: "pretty",
    help: "output format",
  },
  { name: "short", type: "boolean", help: "only the version number" },
);
export type VersionFlags = FlagValues<typeof VERSION_FLAGS>;

const LS_FLAGS = flags(
  { name: "all", short: "a", type: "boolean", help: "include stopped projects" },
  { name: "quiet", short: "q", type: "boolean", help: "only project names" },
  TABLE_FORMAT,
);
export type LsFlags = FlagValues<typeof LS_FLAGS>;

const IMAGES_FLAGS = flags(
  { name: "quiet", short: "q", type: "boolean", help: "only image IDs" },
  TABLE_FORMAT,
);
export type ImagesFlags = FlagValues<typeof IMAGES_FLAGS>;

const PORT_FLAGS = flags(INDEX_OR_FIRST, {
  name: "protocol",
  type: "choice",
  value: "proto",
  choices: ["tcp", "udp"],
  default: "tcp",
  help: "protocol",
});
export type PortFlags = FlagValues<typeof PORT_FLAGS>;

const EVENTS_FLAGS = flags({ name: "json", type: "boolean", help: "one JSON object per line" });
export type EventsFlags = FlagValues<typeof EVENTS_FLAGS>;

const WAIT_FLAGS = flags({
  name: "down-project",
  type: "boolean",
  help: "take the project down when the wait ends",
});
export type WaitFlags = FlagValues<typeof WAIT_FLAGS>;

const CP_FLAGS = flags(INDEX_OR_FIRST);
export type CpFlags = FlagValues<typeof CP_FLAGS>;

const ATTACH_FLAGS = flags(
  INDEX_OR_FIRST_RUNNING,
  {
    name: "detach-keys",
    type: "string",
    value: "keys",
    default: "ctrl-p,ctrl-q",
    help: "key sequence that detaches from the container",
  },
  { name: "no-stdin", type: "boolean", help: "do not attach standard input" },
  {
    name: "sig-proxy",
    type: "go-bool",
    help: "pass the signals Berth receives to the container (default: true)",
  },
);
export type AttachFlags = FlagValues<typeof ATTACH_FLAGS>;

const SCALE_FLAGS = flags(NO_DEPS);
export type ScaleFlags = FlagValues<typeof SCALE_FLAGS>;

const STATS_FLAGS = flags(
  { name: "all", short: "a", type: "boolean", help: "show all containers (default: only running ones)" },
  { name: "no-stream", type: "boolean", help: "print the first result and exit instead of streaming" },
  { name: "no-trunc", type: "boolean", help: "do not truncate output" },
  TEMPLATE_FORMAT,
);
export type StatsFlags = FlagValues<typeof STATS_FLAGS>;

const VOLUMES_FLAGS = flags(
  { name: "quiet", short: "q", type: "boolean", help: "only volume names" },
  TEMPLATE_FORMAT,
);
export type VolumesFlags = FlagValues<typeof VOLUMES_FLAGS>;

const COMMIT_FLAGS = flags(
  INDEX_OR_FIRST_RUNNING,
  {
    name: "pause",
    short: "p",
    type: "go-bool",
    help: "pause the container during the commit (default: true)",
  },
  { name: "message", short: "m", type: "string", value: "text", help: "commit message" },
  {
    name: "author",
    short: "a",
    type: "string",
    value: "author",
    help: 'author (e.g. "John Hannibal Smith <hannibal@a-team.com>")',
  },
  {
    name: "change",
    short: "c",
    type: "list",
    value: "instruction",
    help: "apply a Dockerfile instruction to the image (repeatable)",
  },
);
export type CommitFlags = FlagValues<typeof COMMIT_FLAGS>;

const EXPORT_FLAGS = flags(INDEX_OR_FIRST_RUNNING, {
  name: "output",
  short: "o",
  type: "string",
  value: "file",
  help: "write to a file instead of stdout",
});
export type ExportFlags = FlagValues<typeof EXPORT_FLAGS>;

const VIZ_FLAGS = flags(
  { name: "networks", type: "boolean", help: "include each service's networks" },
  { name: "ports", type: "boolean", help: "include each service's published ports" },
  { name: "image", type: "boolean", help: "include each service's image" },
  // The names of compose's VizOptions fields, which the issue used for these flags.
  { name: "include-networks", type: "boolean", hidden: true, help: "" },
  { name: "include-ports", type: "boolean", hidden: true, help: "" },
  { name: "include-image-name", type: "boolean", hidden: true, help: "" },
  {
    name: "indentation-size",
    type: "integer",
    value: "n",
    default: 1,
    help: "tabs or spaces to indent with",
  },
  { name: "spaces", type: "boolean", help: "indent with spaces instead of tabs" },
  {
    name: "format",
    type: "choice",
    value: "format",
    choices: ["dot", "mermaid"],
    default: "dot",
    help: "dot (Graphviz) or mermaid",
  },
);
export type VizFlags = FlagValues<typeof VIZ_FLAGS>;

/** The name of the project's stack, after `deploy` or `deploy ps` as before the command. */
const STACK_NAME = { ...GLOBAL_FLAGS[1], help: "stack name (default: the project name)" } as const;

/** `berth deploy -f FILE -p NAME`: the global flags, accepted after the command too. */
const DEPLOY_FLAGS = flags(
  { ...GLOBAL_FLAGS[0], help: "compose file (repeatable)" },
  STACK_NAME,
  {
    name: "prune",
    type: "boolean",
    help: "remove services, configs and secrets the file no longer uses",
  },
  {
    name: "detach",
    short: "d",
    type: "boolean",
    help: "return once the specs are accepted, without waiting",
  },
  { name: "wait", type: "boolean", help: "wait until every service runs its replicas (the default)" },
  { name: "wait-timeout", type: "integer", value: "seconds", help: "most seconds to wait" },
  { name: "with-registry-auth", type: "boolean", help: "send registry credentials to the swarm agents" },
  {
    name: "resolve-image",
    type: "choice",
    value: "when",
    choices: ["always", "changed", "never"],
    default: "always",
    help: "pin images to their registry digest",
  },
);
export type DeployFlags = FlagValues<typeof DEPLOY_FLAGS>;

const DEPLOY_LS_FLAGS = flags(TABLE_FORMAT);
export type DeployLsFlags = FlagValues<typeof DEPLOY_LS_FLAGS>;
const DEPLOY_PS_FLAGS = flags(STACK_NAME, TABLE_FORMAT);
export type DeployPsFlags = FlagValues<typeof DEPLOY_PS_FLAGS>;
const DEPLOY_RM_FLAGS = flags();
export type DeployRmFlags = FlagValues<typeof DEPLOY_RM_FLAGS>;

const lifecycle = (verb: "start" | "stop" | "restart" | "kill" | "pause" | "unpause") => () =>
  import("../commands/lifecycle.js").then((m) => m.command(verb));

const viz = defineCommand({
  name: "viz",
  summary: "Print the project's services, networks, ports and dependencies as a graph",
  flags: VIZ_FLAGS,
  dryRun: "read-only",
  load: () => import("../commands/viz.js"),
});

/** In the order `berth help` lists them. */
export const COMMANDS: readonly DeclaredCommand[] = [
  defineCommand({
    name: "up",
    summary: "Create and start containers",
    arguments: args(SERVICES),
    flags: UP_FLAGS,
    dryRun: "planned",
    load: () => import("../commands/up.js"),
  }),
  defineCommand({
    name: "watch",
    summary: "Act on the services' develop.watch rules when their files change (sync, rebuild, restart)",
    arguments: args(SERVICES),
    flags: WATCH_FLAGS,
    dryRun: "planned",
    load: () => import("../commands/watch.js"),
  }),
  defineCommand({
    name: "create",
    summary: "Create containers for services without starting them",
    arguments: args(SERVICES),
    flags: CREATE_FLAGS,
    dryRun: "planned",
    load: () => import("../commands/create.js"),
  }),
  defineCommand({
    name: "down",
    summary: "Stop and remove containers and networks",
    arguments: args({ ...SERVICES, help: "only these services and the services that depend on them" }),
    flags: DOWN_FLAGS,
    dryRun: "planned",
    load: () => import("../commands/down.js"),
  }),
  defineCommand({
    name: "ps",
    summary: "List containers",
    arguments: args(SERVICES),
    flags: PS_FLAGS,
    dryRun: "read-only",
    load: () => import("../commands/ps.js"),
  }),
  defineCommand({
    name: "logs",
    summary: "Show container output",
    arguments: args(SERVICES),
    flags: LOGS_FLAGS,
    dryRun: "read-only",
    load: () => import("../commands/logs.js"),
  }),
  defineCommand({
    name: "config",
    summary: "Validate the compose files and print the resolved project",
    flags: CONFIG_FLAGS,
    dryRun: "read-only",
    load: () => import("../commands/config.js"),
  }),
  defineCommand({
    name: "build",
    summary: "Build or rebuild service images",
    arguments: args(SERVICES),
    flags: BUILD_FLAGS,
    dryRun: "planned",
    load: () => import("../commands/build.js"),
  }),
  defineCommand({
    name: "pull",
    summary: "Pull service images",
    arguments: args(SERVICES),
    flags: PULL_FLAGS,
    dryRun: "planned",
    load: () => import("../commands/pull.js"),
  }),
  defineCommand({
    name: "push",
    summary: "Push service images",
    arguments: args(SERVICES),
    flags: PUSH_FLAGS,
    dryRun: "planned",
    load: () => import("../commands/push.js"),
  }),
  defineCommand({
    name: "exec",
    summary: "Run a command in a running container",
    arguments: args(SERVICE, { name: "command", kind: "one-or-more" }),
    passThroughOptions: true,
    flags: EXEC_FLAGS,
    dryRun: "planned",
    load: () => import("../commands/exec.js"),
  }),
  defineCommand({
    name: "run",
    summary: "Run a one-off command on a service",
    arguments: args(SERVICE, { name: "command", kind: "variadic" }),
    passThroughOptions: true,
    flags: RUN_FLAGS,
    dryRun: "planned",
    load: () => import("../commands/run.js"),
  }),
  defineCommand({
    name: "start",
    summary: "Start existing containers",
    arguments: args(SERVICES),
    flags: [],
    dryRun: "planned",
    load: lifecycle("start"),
  }),
  defineCommand({
    name: "pause",
    summary: "Pause services",
    arguments: args(SERVICES),
    flags: [],
    dryRun: "planned",
    load: lifecycle("pause"),
  }),
  defineCommand({
    name: "unpause",
    summary: "Unpause services",
    arguments: args(SERVICES),
    flags: [],
    dryRun: "planned",
    load: lifecycle("unpause"),
  }),
  defineCommand({
    name: "stop",
    summary: "Stop services",
    arguments: args(SERVICES),
    flags: STOP_FLAGS,
    dryRun: "planned",
    load: lifecycle("stop"),
  }),
  defineCommand({
    name: "restart",
    summary: "Restart service containers",
    arguments: args(SERVICES),
    flags: STOP_FLAGS,
    dryRun: "planned",
    load: lifecycle("restart"),
  }),
  defineCommand({
    name: "kill",
    summary: "Force stop service containers",
    arguments: args(SERVICES),
    flags: KILL_FLAGS,
    dryRun: "planned",
    load: lifecycle("kill"),
  }),
  defineCommand({
    name: "rm",
    summary: "Remove stopped service containers",
    arguments: args(SERVICES),
    flags: RM_FLAGS,
    dryRun: "planned",
    load: () => import("../commands/rm.js"),
  }),
  defineCommand({
    name: "version",
    summary: "Show the Berth version",
    flags: VERSION_FLAGS,
    dryRun: "read-only",
    load: () => import("../commands/version.js"),
  }),
  defineCommand({
    name: "ls",
    summary: "List running compose projects",
    flags: LS_FLAGS,
    dryRun: "read-only",
    load: () => import("../commands/ls.js"),
  }),
  defineCommand({
    name: "images",
    summary: "List the images used by the project's containers",
    arguments: args(SERVICES),
    flags: IMAGES_FLAGS,
    dryRun: "read-only",
    load: () => import("../commands/images.js"),
  }),
  defineCommand({
    name: "port",
    summary: "Print the public port of a port binding",
    arguments: args(SERVICE, { name: "private_port", kind: "one" }),
    flags: PORT_FLAGS,
    dryRun: "read-only",
    load: () => import("../commands/port.js"),
  }),
  defineCommand({
    name: "top",
    summary: "Display the running processes",
    arguments: args(SERVICES),
    flags: [],
    dryRun: "read-only",
    load: () => import("../commands/top.js"),
  }),
  defineCommand({
    name: "events",
    summary: "Receive real-time events from containers",
    arguments: args(SERVICES),
    flags: EVENTS_FLAGS,
    dryRun: "read-only",
    load: () => import("../commands/events.js"),
  }),
  defineCommand({
    name: "wait",
    summary: "Block until the first service container stops and print its exit code",
    arguments: args({ name: "service", kind: "one-or-more" }),
    flags: WAIT_FLAGS,
    dryRun: "planned",
    load: () => import("../commands/wait.js"),
  }),
  defineCommand({
    name: "cp",
    summary: "Copy files between a service container and the local filesystem",
    arguments: args(
      { name: "source", kind: "one", help: "SERVICE:PATH or a local path" },
      { name: "destination", kind: "one", help: "SERVICE:PATH or a local path" },
    ),
    flags: CP_FLAGS,
    dryRun: "planned",
    load: () => import("../commands/cp.js"),
  }),
  defineCommand({
    name: "attach",
    summary: "Attach local standard input, output and error streams to a service's running container",
    arguments: args(SERVICE),
    flags: ATTACH_FLAGS,
    // docker compose's dry-run client refuses ContainerAttach with these words.
    dryRun: { refused: "interactive run is not supported in dry-run mode" },
    load: () => import("../commands/attach.js"),
  }),
  defineCommand({
    name: "scale",
    summary: "Scale services: run SERVICE=REPLICAS containers of each",
    arguments: args({ name: "service=replicas", kind: "one-or-more" }),
    flags: SCALE_FLAGS,
    dryRun: "planned",
    load: () => import("../commands/scale.js"),
  }),
  defineCommand({
    name: "stats",
    summary: "Display a live stream of the resource usage of the project's containers",
    arguments: args({ name: "service", kind: "optional" }),
    flags: STATS_FLAGS,
    dryRun: "read-only",
    load: () => import("../commands/stats.js"),
  }),
  defineCommand({
    name: "volumes",
    summary: "List the project's volumes",
    arguments: args(SERVICES),
    flags: VOLUMES_FLAGS,
    dryRun: "read-only",
    load: () => import("../commands/volumes.js"),
  }),
  defineCommand({
    name: "commit",
    summary: "Create a new image from a service container's changes",
    arguments: args(SERVICE, { name: "repository[:tag]", kind: "optional" }),
    flags: COMMIT_FLAGS,
    dryRun: "planned",
    load: () => import("../commands/commit.js"),
  }),
  defineCommand({
    name: "export",
    summary: "Export a service container's filesystem as a tar archive",
    arguments: args(SERVICE),
    flags: EXPORT_FLAGS,
    dryRun: "planned",
    load: () => import("../commands/export.js"),
  }),
  viz,
  // docker compose has viz under `alpha` only; Berth answers at both places.
  { name: "alpha", summary: "Experimental commands of docker compose", flags: [], subcommands: [viz] },
  // Swarm: `berth deploy` runs the project as a stack; ls/ps/rm act on stacks.
  defineCommand({
    name: "deploy",
    summary: "Deploy the project as a Swarm stack, like docker stack deploy",
    flags: DEPLOY_FLAGS,
    dryRun: "planned",
    load: () => import("../commands/deploy.js"),
    subcommands: [
      defineCommand({
        name: "ls",
        summary: "List stacks",
        flags: DEPLOY_LS_FLAGS,
        dryRun: "read-only",
        load: async () => (await import("../commands/deploy.js")).ls,
      }),
      defineCommand({
        name: "ps",
        summary: "List the tasks of the stack",
        arguments: args({ name: "service", kind: "optional" }),
        flags: DEPLOY_PS_FLAGS,
        dryRun: "read-only",
        load: async () => (await import("../commands/deploy.js")).ps,
      }),
      defineCommand({
        name: "rm",
        summary: "Remove stacks",
        arguments: args({ name: "name", kind: "one-or-more" }),
        flags: DEPLOY_RM_FLAGS,
        dryRun: "planned",
        load: async () => (await import("../commands/deploy.js")).rm,
      }),
    ],
  }),
];
