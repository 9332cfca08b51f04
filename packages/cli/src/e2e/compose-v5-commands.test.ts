import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { interrupt, startBerth, waitUntil } from "../../../../test/compose-differences/berth-process.js";
import { BUSYBOX, requireDocker } from "../../../../test/helpers/docker.js";
import { containerStates, runBerth, runBerthInTerminal, runCommand } from "./harness.js";
import { removeProject } from "./project-cleanup.js";
import { useTempProject } from "./temp-project.test-helpers.js";

const IDLE = `["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]`;

// web ends with 3 on SIGINT or SIGTERM, so the exit code shows which signal reached it; echo answers
// each line of its stdin and ends with 5 after "quit".
const STACK = `services:
  db:
    image: ${BUSYBOX}
    command: ${IDLE}
    stop_grace_period: 1s
  web:
    image: ${BUSYBOX}
    command: ["sh", "-c", "trap 'exit 3' INT TERM; while true; do sleep 0.2; done"]
    depends_on: [db]
    volumes: [data:/data]
    ports: ["127.0.0.1::80"]
    stop_grace_period: 1s
  echo:
    image: ${BUSYBOX}
    command: ["sh", "-c", "while read line; do echo got:$$line; [ $$line = quit ] && exit 5; done"]
    stdin_open: true
    profiles: [echo]
  console:
    image: ${BUSYBOX}
    command: ["sh", "-c", "while read line; do echo got:$$line; done"]
    stdin_open: true
    tty: true
    profiles: [echo]
volumes:
  data: {}
`;

describe("help and viz (no engine needed)", () => {
  it("help lists every docker compose v5 command Berth adds, with compose's flags", async () => {
    const help = await runBerth(["help"]);
    expect(help.code).toBe(0);
    for (const command of ["attach", "scale", "stats", "volumes", "commit", "export", "viz"]) {
      expect(help.stdout).toMatch(new RegExp(`^\\s+${command} `, "m"));
    }
    const flags: Record<string, string[]> = {
      attach: ["--index", "--detach-keys", "--no-stdin", "--sig-proxy"],
      scale: ["--no-deps"],
      stats: ["--all", "--no-stream", "--no-trunc", "--format"],
      volumes: ["--quiet", "--format"],
      commit: ["--index", "--pause", "--message", "--author", "--change"],
      export: ["--index", "--output"],
      viz: ["--networks", "--ports", "--image", "--indentation-size", "--spaces", "--format"],
    };
    for (const [command, expected] of Object.entries(flags)) {
      const out = (await runBerth([command, "--help"])).stdout;
      for (const flag of expected) expect(out, command).toContain(flag);
    }
  });

  it("viz prints the dot graph (also as alpha viz) and a Mermaid flowchart", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "berth-viz-"));
    try {
      const input = STACK;
      const dot = await runBerth(["-f", "-", "-p", "shop", "viz", "--ports", "--image"], { cwd: dir, input });
      expect(dot.code, dot.stderr).toBe(0);
      expect(dot.stdout).toMatch(/^digraph "shop" \{\n\tlayout=dot;\n/);
      expect(dot.stdout).toContain('\t"web" -> "db";\n');
      expect(dot.stdout).toContain("<b>Ports:</b><br/>127.0.0.1::80 (tcp, ingress)</font>");
      expect(dot.stdout).toContain(`<b>Image:</b><br/>${BUSYBOX}</font>`);
      const alpha = await runBerth(["-f", "-", "-p", "shop", "alpha", "viz", "--ports", "--image"], {
        cwd: dir,
        input,
      });
      expect(alpha.stdout).toBe(dot.stdout);
      const spelled = await runBerth(
        ["-f", "-", "-p", "shop", "viz", "--include-ports", "--include-image-name"],
        {
          cwd: dir,
          input,
        },
      );
      expect(spelled.stdout).toBe(dot.stdout);
      const mermaid = await runBerth(
        ["-f", "-", "-p", "shop", "viz", "--format", "mermaid", "--spaces", "--indentation-size", "2"],
        { cwd: dir, input },
      );
      expect(mermaid.stdout).toBe(
        'flowchart TD\n  svc_db["<b>db</b>"]\n  svc_web["<b>web</b>"]\n  svc_web --> svc_db\n',
      );
      const bad = await runBerth(["-f", "-", "viz", "--indentation-size", "x"], { cwd: dir, input });
      expect(bad.code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!requireDocker())("attach, scale, stats, volumes, commit and export on the engine", () => {
  const images: string[] = [];
  const { project, berth, dir } = useTempProject(
    "v5-commands",
    () => ({ "compose.yaml": STACK }),
    removeProject,
  );
  const logsOf = async (service: string) =>
    (await runCommand("docker", ["logs", `${project}-${service}-1`])).stdout;
  afterAll(async () => {
    if (images.length) await runCommand("docker", ["rmi", "-f", ...images]);
  });

  it("volumes lists the project's volumes, only a service's with a service, and refuses an unknown one", async () => {
    const up = await berth(["up", "-d"]);
    expect(up.code, up.stderr).toBe(0);
    const table = await berth(["volumes"]);
    expect(table).toMatchObject({ code: 0, stdout: `DRIVER    VOLUME NAME\nlocal     ${project}_data\n` });
    const json = await berth(["volumes", "--format", "json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      Name: `${project}_data`,
      Driver: "local",
      Labels: expect.stringContaining(`com.docker.compose.project=${project}`),
    });
    expect((await berth(["volumes", "-q", "web"])).stdout).toBe(`${project}_data\n`);
    expect((await berth(["volumes", "--format", "{{.Name}}", "db"])).stdout).toBe("");
    const unknown = await berth(["volumes", "nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no such service: nope");
  }, 60_000);

  it("stats --no-stream prints one sample per container as a table, JSON lines or a template", async () => {
    const table = await berth(["stats", "--no-stream"]);
    expect(table.code, table.stderr).toBe(0);
    const [header, ...rows] = table.stdout.trimEnd().split("\n");
    expect(header).toMatch(
      /^CONTAINER ID {3}NAME +CPU % +MEM USAGE \/ LIMIT +MEM % +NET I\/O +BLOCK I\/O +PIDS$/,
    );
    expect(rows.map((r) => r.split(/\s+/)[1]).sort()).toEqual([`${project}-db-1`, `${project}-web-1`]);

    const json = await berth(["stats", "--no-stream", "--no-trunc", "--format", "json", "web"]);
    expect(json.code, json.stderr).toBe(0);
    const lines = json.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    const web = JSON.parse(lines[0] ?? "");
    expect(Object.keys(web)).toEqual([
      "BlockIO",
      "CPUPerc",
      "Container",
      "ID",
      "MemPerc",
      "MemUsage",
      "Name",
      "NetIO",
      "PIDs",
    ]);
    expect(web).toMatchObject({ Name: `${project}-web-1`, ID: web.Container });
    expect(web.MemUsage).toMatch(/^[\d.]+[KMG]?i?B \/ [\d.]+[KMG]?i?B$/);
    expect(Number(web.PIDs)).toBeGreaterThan(0);

    const template = await berth(["stats", "--no-stream", "--format", "{{.Name}}: {{.PIDs}}", "db"]);
    expect(template.stdout).toMatch(new RegExp(`^${project}-db-1: \\d+\\n$`));
    const bad = await berth(["stats", "--no-stream", "--format", "{{.Nope}}"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('no field "Nope"');
  }, 60_000);

  it("stats streams until Ctrl-C (exit 130) and follows a container that starts meanwhile", async () => {
    const live = startBerth(["-p", project, "stats", "--format", "{{.Name}} {{.CPUPerc}}"], dir());
    await waitUntil("the first frame", () => live.stdout.includes(`${project}-web-1 `), 30_000);
    const scaled = await berth(["scale", "web=2"]);
    expect(scaled.code, scaled.stderr).toBe(0);
    await waitUntil("the new replica in the stream", () => /-web-2 \d+\.\d\d%/.test(live.stdout), 30_000);
    const exit = await interrupt(live);
    expect(exit.code, live.stderr).toBe(130);
    // Frames follow one another on a pipe: plain lines, no cursor movement.
    expect(live.stdout).not.toContain("\x1b[");

    // On a terminal each frame starts at the top left and clears what the last one left, as docker's.
    const keys = new PassThrough();
    const drawing = runBerthInTerminal(["-p", project, "stats"], { cwd: dir(), input: keys });
    // Ctrl-C typed at the terminal, once a few frames have been drawn.
    await new Promise((resolve) => setTimeout(resolve, 8000));
    keys.write("\x03");
    const drawn = await drawing;
    keys.end();
    expect(drawn.code).toBe(130);
    expect(drawn.stdout).toMatch(/\x1b\[HCONTAINER ID {3}NAME .*PIDS\x1b\[K\r?\n/);
    expect(drawn.stdout).toContain("\x1b[J");
  }, 90_000);

  it("scale converges like up --scale; --no-deps leaves a stopped dependency stopped", async () => {
    expect((await berth(["stop", "db"])).code).toBe(0);
    const noDeps = await berth(["scale", "--no-deps", "web=3"]);
    expect(noDeps.code, noDeps.stderr).toBe(0);
    expect(await containerStates(project)).toEqual([
      `${project}-db-1 exited`,
      `${project}-web-1 running`,
      `${project}-web-2 running`,
      `${project}-web-3 running`,
    ]);
    const down = await berth(["scale", "web=1"]);
    expect(down.code, down.stderr).toBe(0);
    expect(await containerStates(project)).toEqual([`${project}-db-1 running`, `${project}-web-1 running`]);

    const bad = await berth(["scale", "web"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("invalid scale specifier: web");
    expect((await berth(["scale", "nope=2"])).code).toBe(1);
  }, 90_000);

  it("commit makes an image of a service container's changes, with message, author and changes", async () => {
    const written = await berth(["exec", "-T", "web", "sh", "-c", "echo token > /committed"]);
    expect(written.code, written.stderr).toBe(0);
    const image = `${project}-snapshot:v1`;
    images.push(image);
    // The dry run names the container and the image the real run then reports, and commits nothing.
    const dry = await berth(["--dry-run", "commit", "web", image]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toBe(`Container ${project}-web-1  Committed  new image ${image}\n`);
    expect((await runCommand("docker", ["image", "inspect", image])).code).not.toBe(0);
    const commit = await berth([
      "commit",
      "-m",
      "snapshot",
      "-a",
      "Berth Test",
      "-c",
      "ENV MARK=1",
      "web",
      image,
    ]);
    expect(commit.code, commit.stderr).toBe(0);
    expect(commit.stderr).toMatch(
      new RegExp(`Container ${project}-web-1  Committed  .* as sha256:[0-9a-f]{64}`),
    );
    const inspect = await runCommand("docker", [
      "image",
      "inspect",
      "--format",
      "{{.Comment}}|{{.Author}}|{{json .Config.Env}}",
      image,
    ]);
    expect(inspect.stdout.trim()).toBe('snapshot|Berth Test|["PATH=/bin","MARK=1"]');
    const read = await runCommand("docker", ["run", "--rm", "--entrypoint", "cat", image, "/committed"]);
    expect(read.stdout).toBe("token\n");

    // compose's way to commit without pausing; the image is then untagged, so its ID is what to remove.
    const unpaused = await berth(["commit", "--pause=false", "web"]);
    expect(unpaused.code, unpaused.stderr).toBe(0);
    const id = /as (sha256:[0-9a-f]{64})/.exec(unpaused.stderr)?.[1];
    expect(id).toBeDefined();
    images.push(id ?? "");
    const missing = await berth(["commit", "web", "--index", "7"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('service "web" is not running container #7');
  }, 60_000);

  it("export writes the container's filesystem as a tar archive, to -o or to a pipe", async () => {
    const file = path.join(dir(), "web.tar");
    const dry = await berth(["--dry-run", "export", "-o", file, "web"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toBe(`Container ${project}-web-1  Exported  filesystem to ${file}\n`);
    expect(dry.stdout).toBe("");
    expect(existsSync(file)).toBe(false);
    const exported = await berth(["export", "-o", file, "web"]);
    expect(exported.code, exported.stderr).toBe(0);
    const listing = await runCommand("tar", ["tf", file]);
    expect(listing.stdout.split("\n")).toContain("committed");
    const piped = await berth(["export", "web"]);
    expect(piped.code, piped.stderr).toBe(0);
    // A tar header names each file in plain text.
    expect(piped.stdout).toContain("committed");
    // A tar archive would garble a terminal: compose refuses, and so does Berth.
    const terminal = await runBerthInTerminal(["-p", project, "export", "web"], { cwd: dir() });
    expect(terminal.code).toBe(1);
    expect(terminal.stdout).toContain("output option is required when exporting to terminal");
    const unknown = await berth(["export", "nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no such service: nope");
    const missing = await berth(["export", "--index", "9", "web"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('service "web" is not running container #9');
  }, 60_000);

  it("attach feeds stdin to a stdin_open container and ends with its exit code", async () => {
    const started = await berth(["--profile", "echo", "up", "-d", "echo"]);
    expect(started.code, started.stderr).toBe(0);
    // Typed while attached: the engine ends an attach when its stdin ends, so the input stays open.
    const typing = new PassThrough();
    const attached = berth(["attach", "echo"], { input: typing });
    typing.write("one\n");
    await waitUntil("the first answer", async () => logsOf("echo").then((logs) => logs.includes("got:one")));
    typing.write("quit\n");
    expect(await attached).toMatchObject({ code: 5, stdout: "got:one\ngot:quit\n" });
    typing.end();

    // When stdin ends the engine stops sending output, but docker's attach lasts until the container exits.
    expect((await berth(["--profile", "echo", "up", "-d", "echo"])).code).toBe(0);
    const ended = berth(["attach", "echo"], { input: "last\n" });
    await waitUntil("the answer", async () => logsOf("echo").then((logs) => logs.includes("got:last")));
    expect(await containerStates(project)).toContain(`${project}-echo-1 running`);
    expect((await berth(["kill", "echo"])).code).toBe(0);
    expect((await ended).code).toBe(137);
  }, 60_000);

  it("attach to a container with a TTY: keys go to it raw, and Ctrl-P Ctrl-Q detach with exit 0", async () => {
    expect((await berth(["--profile", "echo", "up", "-d", "console"])).code).toBe(0);
    const typing = new PassThrough();
    const session = runBerthInTerminal(["-p", project, "attach", "console"], { cwd: dir(), input: typing });
    typing.write("hello\r");
    await waitUntil("the answer", async () => logsOf("console").then((logs) => logs.includes("got:hello")));
    typing.write("\x10\x11");
    const detached = await session;
    typing.end();
    expect(detached.code, detached.stdout).toBe(0);
    expect(detached.stdout).toContain("got:hello");
    expect(await containerStates(project)).toContain(`${project}-console-1 running`);
  }, 60_000);

  it("attach passes Ctrl-C on to the container by default; with --sig-proxy=false it exits 130 alone", async () => {
    expect((await berth(["pause", "web"])).code).toBe(0);
    const paused = await berth(["attach", "web"]);
    expect(paused.code).toBe(1);
    expect(paused.stderr).toContain(
      `cannot attach to the paused container ${project}-web-1: unpause it first`,
    );
    expect((await berth(["unpause", "web"])).code).toBe(0);

    const alone = startBerth(["-p", project, "attach", "--sig-proxy=false", "web"], dir());
    // Output written by the container's main process reaches the attached stdout.
    await waitUntil("the attach", async () => {
      await berth(["exec", "-T", "web", "sh", "-c", "echo attached-line > /proc/1/fd/1"]);
      return alone.stdout.includes("attached-line");
    });
    expect((await interrupt(alone)).code, alone.stderr).toBe(130);
    expect(await containerStates(project)).toContain(`${project}-web-1 running`);

    const proxied = startBerth(["-p", project, "attach", "--no-stdin", "web"], dir());
    await waitUntil("the attach", async () => {
      await berth(["exec", "-T", "web", "sh", "-c", "echo proxied-line > /proc/1/fd/1"]);
      return proxied.stdout.includes("proxied-line");
    });
    // The container's trap turns the SIGINT it receives into exit code 3, which becomes Berth's.
    expect((await interrupt(proxied)).code, proxied.stderr).toBe(3);
    expect(await containerStates(project)).toContain(`${project}-web-1 exited`);

    const stopped = await berth(["attach", "web"]);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('service "web" is not running');
  }, 90_000);
});
