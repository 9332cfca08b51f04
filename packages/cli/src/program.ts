import { Command, Option } from "commander";
import type { CommandContext, CommandModule } from "./context.js";
import { PLANNED, checkDryRun } from "./dry-run.js";
import {
  ANSI_MODES,
  PROGRESS_MODES,
  type RawGlobalOptions,
  boolFlag,
  collect,
  integer,
  resolveGlobalOptions,
} from "./options.js";
import { berthVersion } from "./version.js";

/** Where a command's action leaves its exit code for main(). */
export interface RunState {
  exitCode: number;
}

/** `--no-attach SVC` takes a value: without this commander would read it as the negation of --attach. */
function valueOption(flags: string, description: string): Option {
  const option = new Option(flags, description).argParser(collect);
  option.negate = false;
  return option;
}

/**
 * Every command and flag, declared here so that help lists them all; each command's code is imported
 * only when it runs, which keeps `berth version` and `berth config` from loading dockerode and listr2.
 */
export function buildProgram(state: RunState): Command {
  const program = new Command("berth");
  program
    .description("Define and run multi-container applications, compatible with docker compose")
    .version(berthVersion(), "-v, --version", "show the Berth version")
    .enablePositionalOptions()
    .exitOverride()
    .helpCommand("help [command]", "show help for a command")
    .configureHelp({ showGlobalOptions: true })
    .option("-f, --file <path>", "compose file (repeatable; - reads stdin)", collect)
    .option("-p, --project-name <name>", "project name")
    .option("--project-directory <path>", "project directory (default: the first compose file's directory)")
    .option("--env-file <path>", "environment file (repeatable)", collect)
    .option("--profile <name>", "enable a profile (repeatable)", collect)
    .addOption(new Option("--progress <mode>", "progress output").choices(PROGRESS_MODES))
    .addOption(new Option("--ansi <when>", "control characters").choices(ANSI_MODES))
    .option("--parallel <n>", "most engine operations at once (-1: no limit)")
    .option("--verbose", "show more output: each engine request and the stack trace of an error")
    .option("--dry-run", "print what the command would do and why, change nothing");

  const lazy =
    <O>(load: () => Promise<CommandModule<O>>) =>
    async (...actionArgs: unknown[]) => {
      const cmd = actionArgs.at(-1) as Command;
      const env = process.env;
      const global = resolveGlobalOptions(program.opts<RawGlobalOptions>(), env);
      // After a planned command's name (`berth down --dry-run`) the flag means what it means before it.
      if (cmd.opts().dryRun === true) global.dryRun = true;
      const ctx: CommandContext = {
        global,
        env,
        stdout: process.stdout,
        stderr: process.stderr,
      };
      checkDryRun(ctx, cmd.parent === program ? cmd.name() : `${cmd.parent?.name()} ${cmd.name()}`);
      const mod = await load();
      state.exitCode = await mod.run(ctx, cmd.args, cmd.opts() as O);
    };

  const seconds = integer("--timeout");

  program
    .command("up")
    .description("Create and start containers")
    .argument("[service...]")
    .option("-d, --detach", "run containers in the background")
    .option("--build", "build images before starting containers")
    .option("--no-build", "do not build images, even when missing")
    .addOption(
      new Option("--pull <policy>", "pull images before running").choices(["always", "missing", "never"]),
    )
    .option("--quiet-pull", "pull without printing progress")
    .option("--wait", "wait for services to be running and healthy (implies --detach)")
    .option("--wait-timeout <seconds>", "most seconds to wait with --wait", integer("--wait-timeout"))
    .option("--force-recreate", "recreate containers even if their configuration is unchanged")
    .option("--no-recreate", "keep existing containers even if their configuration changed")
    .option("--remove-orphans", "remove containers of services not in the compose file")
    .option("--no-deps", "do not start linked services")
    .option("--scale <service=n>", "run n containers of a service (repeatable)", collect)
    .option("-t, --timeout <seconds>", "seconds to wait for containers to stop", seconds)
    .option("--abort-on-container-exit", "stop all containers when one stops")
    .option(
      "--exit-code-from <service>",
      "exit with this service's exit code (implies --abort-on-container-exit)",
    )
    .addOption(valueOption("--attach <service>", "show only these services' logs (repeatable)"))
    .addOption(valueOption("--no-attach <service>", "do not show these services' logs (repeatable)"))
    .option("--no-log-prefix", "do not prefix log lines with the container name")
    .option("--no-color", "monochrome output")
    .option("--timestamps", "show timestamps in logs")
    .option("--dry-run", "print what would be done, change nothing")
    .option("-w, --watch", "act on the services' develop.watch rules while attached (sync, rebuild, restart)")
    .action(lazy(() => import("./commands/up.js")));

  program
    .command("watch")
    .description("Act on the services' develop.watch rules when their files change (sync, rebuild, restart)")
    .argument("[service...]")
    .option("--no-up", "do not build and start the services first")
    .option("--prune", "after a rebuild, remove the image it replaced")
    .option("--quiet", "hide build progress, show only what each change did")
    .action(lazy(() => import("./commands/watch.js")));

  program
    .command("create")
    .description("Create containers for services without starting them")
    .argument("[service...]")
    .option("--build", "build images before creating containers")
    .option("--no-build", "do not build images, even when missing")
    .addOption(
      new Option("--pull <policy>", "pull images before creating").choices(["always", "missing", "never"]),
    )
    .option("--quiet-pull", "pull without printing progress")
    .option("--force-recreate", "recreate containers even if their configuration is unchanged")
    .option("--no-recreate", "keep existing containers even if their configuration changed")
    .option("--remove-orphans", "remove containers of services not in the compose file")
    .option("--scale <service=n>", "create n containers of a service (repeatable)", collect)
    .action(lazy(() => import("./commands/create.js")));

  program
    .command("down")
    .description("Stop and remove containers and networks")
    .argument("[service...]", "only these services and the services that depend on them")
    .addOption(
      new Option("--rmi <type>", "also remove images: local (built ones) or all").choices(["local", "all"]),
    )
    .option("-v, --volumes", "also remove named volumes and anonymous volumes")
    .option("--remove-orphans", "remove containers of services not in the compose file")
    .option("-t, --timeout <seconds>", "seconds to wait for containers to stop", seconds)
    .action(lazy(() => import("./commands/down.js")));

  program
    .command("ps")
    .description("List containers")
    .argument("[service...]")
    .option("-a, --all", "include stopped containers")
    .option("-q, --quiet", "only container IDs")
    .option("--services", "only service names")
    .option("--status <status>", "only containers in this state (repeatable)", collect)
    .option("--filter <key=value>", "filter by a property (status=running)")
    .option("--format <format>", "table or json", "table")
    .action(lazy(() => import("./commands/ps.js")));

  program
    .command("logs")
    .description("Show container output")
    .argument("[service...]")
    .option("-f, --follow", "keep streaming new output")
    .option("-n, --tail <lines>", 'lines from the end of each log ("all" for every line)', "all")
    .option("--since <time>", "logs since a timestamp (2013-01-02T13:23:37Z) or relative time (42m)")
    .option("--until <time>", "logs before a timestamp or relative time")
    .option("-t, --timestamps", "show timestamps")
    .option("--no-color", "monochrome output")
    .option("--no-log-prefix", "do not prefix log lines with the container name")
    .option("--index <n>", "container index of the service", integer("--index"))
    .action(lazy(() => import("./commands/logs.js")));

  program
    .command("config")
    .description("Validate the compose files and print the resolved project")
    .addOption(new Option("--format <format>", "output format").choices(["yaml", "json"]).default("yaml"))
    .option("--services", "print the service names, one per line")
    .option("--volumes", "print the volume names, one per line")
    .option("--profiles", "print the profile names, one per line")
    .option("--images", "print the image names, one per line")
    .option("-q, --quiet", "only validate, print nothing")
    .option("--no-interpolate", "do not replace variables")
    .option("-o, --output <path>", "write to this file instead of stdout")
    .option(
      "--show-secrets",
      "on a terminal, also print values of variables named like passwords, tokens and keys",
    )
    .action(lazy(() => import("./commands/config.js")));

  program
    .command("build")
    .description("Build or rebuild service images")
    .argument("[service...]")
    .option("-q, --quiet", "print nothing")
    .option("--no-cache", "do not use the build cache")
    .option("--pull", "always pull newer versions of the base images")
    // compose's deprecated, hidden flag, which clients still pass: builds always run in parallel.
    .addOption(new Option("--parallel", "build images in parallel").hideHelp())
    .option(
      "--build-arg <key=value>",
      "set a build argument; KEY alone takes its value from the environment (repeatable)",
      collect,
    )
    .action(lazy(() => import("./commands/build.js")));

  program
    .command("pull")
    .description("Pull service images")
    .argument("[service...]")
    .option("--ignore-pull-failures", "pull what can be pulled and ignore images that fail")
    .option("--include-deps", "also pull the services the named ones depend on")
    .option("--ignore-buildable", "skip the images that services can build")
    .addOption(
      new Option("--policy <policy>", "pull_policy of every service with an image").choices([
        "missing",
        "always",
      ]),
    )
    .option("-q, --quiet", "print nothing")
    .action(lazy(() => import("./commands/pull.js")));

  program
    .command("push")
    .description("Push service images")
    .argument("[service...]")
    .option("--ignore-push-failures", "push what can be pushed and ignore images that fail")
    .option("-q, --quiet", "print nothing")
    .action(lazy(() => import("./commands/push.js")));

  program
    .command("exec")
    .description("Run a command in a running container")
    .argument("<service>")
    .argument("<command...>")
    .passThroughOptions()
    .option("-d, --detach", "run the command in the background and return at once")
    .option("-T, --no-tty", "do not allocate a pseudo-TTY")
    .option("-e, --env <key=value>", "set an environment variable (repeatable)", collect)
    .option("-u, --user <user>", "run as this user")
    .option("-w, --workdir <path>", "working directory of the command")
    .option("--index <n>", "container index of the service", integer("--index"), 1)
    .option("--privileged", "give extended privileges to the command")
    .action(lazy(() => import("./commands/exec.js")));

  program
    .command("run")
    .description("Run a one-off command on a service")
    .argument("<service>")
    .argument("[command...]")
    .passThroughOptions()
    .option("-d, --detach", "run the container in the background and print its ID")
    .option("--rm", "remove the container when it exits")
    .option("-e, --env <key=value>", "set an environment variable (repeatable)", collect)
    .option("--entrypoint <command>", "override the image's entrypoint")
    .option("--no-deps", "do not start linked services")
    .option("-p, --publish <port>", "publish a container port to the host (repeatable)", collect)
    .option("--service-ports", "publish the service's ports")
    .option("-T, --no-tty", "do not allocate a pseudo-TTY")
    .option("-v, --volume <bind>", "bind mount a volume (repeatable)", collect)
    .option("--name <name>", "name of the container")
    .option("-u, --user <user>", "run as this user")
    .option("-w, --workdir <path>", "working directory in the container")
    .option("-l, --label <key=value>", "add a label (repeatable)", collect)
    .option("--build", "build the images before starting the container")
    .addOption(
      new Option("--pull <policy>", "pull images before running").choices(["always", "missing", "never"]),
    )
    .option("--quiet-pull", "pull without printing progress")
    .action(lazy(() => import("./commands/run.js")));

  for (const [name, description] of [
    ["start", "Start existing containers"],
    ["pause", "Pause services"],
    ["unpause", "Unpause services"],
  ] as const) {
    program
      .command(name)
      .description(description)
      .argument("[service...]")
      .action(lazy(() => import("./commands/lifecycle.js").then((m) => m.command(name))));
  }
  for (const [name, description] of [
    ["stop", "Stop services"],
    ["restart", "Restart service containers"],
  ] as const) {
    program
      .command(name)
      .description(description)
      .argument("[service...]")
      .option("-t, --timeout <seconds>", "seconds to wait before killing the containers", seconds)
      .action(lazy(() => import("./commands/lifecycle.js").then((m) => m.command(name))));
  }
  program
    .command("kill")
    .description("Force stop service containers")
    .argument("[service...]")
    .option("-s, --signal <signal>", "signal to send", "SIGKILL")
    .action(lazy(() => import("./commands/lifecycle.js").then((m) => m.command("kill"))));

  program
    .command("rm")
    .description("Remove stopped service containers")
    .argument("[service...]")
    .option("-f, --force", "do not ask for confirmation")
    .option("-s, --stop", "stop the containers first")
    .option("-v, --volumes", "remove anonymous volumes of the containers")
    .action(lazy(() => import("./commands/rm.js")));

  program
    .command("version")
    .description("Show the Berth version")
    .addOption(new Option("--format <format>", "output format").choices(["pretty", "json"]).default("pretty"))
    .option("--short", "only the version number")
    .action(lazy(() => import("./commands/version.js")));

  program
    .command("ls")
    .description("List running compose projects")
    .option("-a, --all", "include stopped projects")
    .option("-q, --quiet", "only project names")
    .option("--format <format>", "table or json", "table")
    .action(lazy(() => import("./commands/ls.js")));

  program
    .command("images")
    .description("List the images used by the project's containers")
    .argument("[service...]")
    .option("-q, --quiet", "only image IDs")
    .option("--format <format>", "table or json", "table")
    .action(lazy(() => import("./commands/images.js")));

  program
    .command("port")
    .description("Print the public port of a port binding")
    .argument("<service>")
    .argument("<private_port>")
    .option("--index <n>", "container index of the service", integer("--index"), 1)
    .addOption(new Option("--protocol <proto>", "protocol").choices(["tcp", "udp"]).default("tcp"))
    .action(lazy(() => import("./commands/port.js")));

  program
    .command("top")
    .description("Display the running processes")
    .argument("[service...]")
    .action(lazy(() => import("./commands/top.js")));

  program
    .command("events")
    .description("Receive real-time events from containers")
    .argument("[service...]")
    .option("--json", "one JSON object per line")
    .action(lazy(() => import("./commands/events.js")));

  program
    .command("wait")
    .description("Block until the first service container stops and print its exit code")
    .argument("<service...>")
    .option("--down-project", "take the project down when the wait ends")
    .action(lazy(() => import("./commands/wait.js")));

  program
    .command("cp")
    .description("Copy files between a service container and the local filesystem")
    .argument("<source>", "SERVICE:PATH or a local path")
    .argument("<destination>", "SERVICE:PATH or a local path")
    .option("--index <n>", "container index of the service", integer("--index"), 1)
    .action(lazy(() => import("./commands/cp.js")));

  program
    .command("attach")
    .description("Attach local standard input, output and error streams to a service's running container")
    .argument("<service>")
    .option(
      "--index <n>",
      "container index of the service (default: the first running one)",
      integer("--index"),
    )
    .option("--detach-keys <keys>", "key sequence that detaches from the container", "ctrl-p,ctrl-q")
    .option("--no-stdin", "do not attach standard input")
    .option(
      "--sig-proxy [bool]",
      "pass the signals Berth receives to the container (default: true)",
      boolFlag,
    )
    .action(lazy(() => import("./commands/attach.js")));

  program
    .command("scale")
    .description("Scale services: run SERVICE=REPLICAS containers of each")
    .argument("<service=replicas...>")
    .option("--no-deps", "do not start linked services")
    .action(lazy(() => import("./commands/scale.js")));

  program
    .command("stats")
    .description("Display a live stream of the resource usage of the project's containers")
    .argument("[service]")
    .option("-a, --all", "show all containers (default: only running ones)")
    .option("--no-stream", "print the first result and exit instead of streaming")
    .option("--no-trunc", "do not truncate output")
    .option(
      "--format <format>",
      "table, json, 'table TEMPLATE' or a Go template such as '{{.Name}}'",
      "table",
    )
    .action(lazy(() => import("./commands/stats.js")));

  program
    .command("volumes")
    .description("List the project's volumes")
    .argument("[service...]")
    .option("-q, --quiet", "only volume names")
    .option(
      "--format <format>",
      "table, json, 'table TEMPLATE' or a Go template such as '{{.Name}}'",
      "table",
    )
    .action(lazy(() => import("./commands/volumes.js")));

  program
    .command("commit")
    .description("Create a new image from a service container's changes")
    .argument("<service>")
    .argument("[repository[:tag]]")
    .option(
      "--index <n>",
      "container index of the service (default: the first running one)",
      integer("--index"),
    )
    .option("-p, --pause [bool]", "pause the container during the commit (default: true)", boolFlag)
    .option("-m, --message <text>", "commit message")
    .option("-a, --author <author>", 'author (e.g. "John Hannibal Smith <hannibal@a-team.com>")')
    .option("-c, --change <instruction>", "apply a Dockerfile instruction to the image (repeatable)", collect)
    .action(lazy(() => import("./commands/commit.js")));

  program
    .command("export")
    .description("Export a service container's filesystem as a tar archive")
    .argument("<service>")
    .option(
      "--index <n>",
      "container index of the service (default: the first running one)",
      integer("--index"),
    )
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(lazy(() => import("./commands/export.js")));

  // docker compose has viz under `alpha` only; Berth answers at both places.
  const declareViz = (command: Command) =>
    command
      .description("Print the project's services, networks, ports and dependencies as a graph")
      .option("--networks", "include each service's networks")
      .option("--ports", "include each service's published ports")
      .option("--image", "include each service's image")
      // The names of compose's VizOptions fields, which the issue used for these flags.
      .addOption(new Option("--include-networks").hideHelp())
      .addOption(new Option("--include-ports").hideHelp())
      .addOption(new Option("--include-image-name").hideHelp())
      .option("--indentation-size <n>", "tabs or spaces to indent with", integer("--indentation-size"), 1)
      .option("--spaces", "indent with spaces instead of tabs")
      .addOption(
        new Option("--format <format>", "dot (Graphviz) or mermaid")
          .choices(["dot", "mermaid"])
          .default("dot"),
      )
      .action(lazy(() => import("./commands/viz.js")));
  declareViz(program.command("viz"));
  declareViz(program.command("alpha").description("Experimental commands of docker compose").command("viz"));

  // Swarm: `berth deploy` runs the project as a stack; ls/ps/rm act on stacks.
  const deploy = program
    .command("deploy")
    .description("Deploy the project as a Swarm stack, like docker stack deploy")
    .option("-f, --file <path>", "compose file (repeatable)", collect)
    .option("-p, --project-name <name>", "stack name (default: the project name)")
    .option("--prune", "remove services, configs and secrets the file no longer uses")
    .option("-d, --detach", "return once the specs are accepted, without waiting")
    .option("--wait", "wait until every service runs its replicas (the default)")
    .option("--wait-timeout <seconds>", "most seconds to wait", integer("--wait-timeout"))
    .option("--with-registry-auth", "send registry credentials to the swarm agents")
    .option("--dry-run", "print what deploy would do and why, change nothing")
    .addOption(
      new Option("--resolve-image <when>", "pin images to their registry digest")
        .choices(["always", "changed", "never"])
        .default("always"),
    )
    .action(lazy(() => import("./commands/deploy.js")));
  deploy
    .command("ls")
    .description("List stacks")
    .option("--format <format>", "table or json", "table")
    .action(lazy(() => import("./commands/deploy.js").then((m) => m.ls)));
  deploy
    .command("ps")
    .description("List the tasks of the stack")
    .argument("[service]")
    .option("-p, --project-name <name>", "stack name (default: the project name)")
    .option("--format <format>", "table or json", "table")
    .action(lazy(() => import("./commands/deploy.js").then((m) => m.ps)));
  deploy
    .command("rm")
    .description("Remove stacks")
    .argument("<name...>")
    .action(lazy(() => import("./commands/deploy.js").then((m) => m.rm)));

  // docker compose takes --dry-run after the command's name too; help lists it once, with the globals.
  for (const cmd of program.commands) {
    if (PLANNED.has(cmd.name()) && !cmd.options.some((o) => o.long === "--dry-run"))
      cmd.addOption(new Option("--dry-run").hideHelp());
  }

  return program;
}
