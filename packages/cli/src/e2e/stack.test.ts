import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, requireDocker, uniqueProject } from "../../../../test/helpers/docker.js";
import {
  containerStates,
  jsonEvents,
  runBerth,
  runBerthInTerminal,
  runCommand,
  tempProject,
} from "./harness.js";
import { removeProject } from "./project-cleanup.js";

const IDLE = `["sh", "-c", "echo hello-from-$$0; trap 'exit 0' TERM; sleep 3600 & wait", "greeter"]`;

const STACK = `services:
  web:
    image: ${BUSYBOX}
    command: ["httpd", "-f", "-p", "80"]
    ports: ["80"]
    stop_grace_period: 1s
  greeter:
    image: ${BUSYBOX}
    command: ${IDLE}
    stop_grace_period: 1s
`;

const ESC = "\x1b";

describe.skipIf(!requireDocker())("berth against the engine: a running stack", () => {
  const project = uniqueProject("cli-stack");
  const dir = tempProject({ "compose.yaml": STACK });
  const berth = (args: string[], env?: Record<string, string>) =>
    runBerth(["-p", project, ...args], { cwd: dir.dir, env });

  beforeAll(async () => {
    const up = await berth(["up", "--wait", "--wait-timeout", "60"]);
    if (up.code !== 0) throw new Error(`up --wait failed: ${up.stderr}`);
  });
  afterAll(async () => {
    await removeProject(project);
    dir.cleanup();
  });

  it("up -d without a terminal prints one plain line per state change", async () => {
    const again = await berth(["up", "-d"]);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain(ESC);
    expect(again.stderr).toMatch(new RegExp(`^Container ${project}-web-1  Running  \\d+\\.\\ds$`, "m"));
  });

  it("ps lists the containers as a table, IDs, services or JSON", async () => {
    const table = await berth(["ps"]);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(
      /^NAME\s+IMAGE\s+COMMAND\s+SERVICE\s+CREATED\s+STATUS\s+PORTS$/,
    );
    expect(table.stdout).toContain(`${project}-web-1`);
    expect(table.stdout).toMatch(/0\.0\.0\.0:\d+->80\/tcp/);
    const ids = (await berth(["ps", "-q"])).stdout.trim().split("\n");
    expect(ids).toHaveLength(2);
    expect(ids.every((id) => /^[0-9a-f]{64}$/.test(id))).toBe(true);
    expect((await berth(["ps", "--services"])).stdout).toBe("greeter\nweb\n");
    const json = (await berth(["ps", "--format", "json"])).stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(json.map((c) => c.Service)).toEqual(["greeter", "web"]);
    expect(json[0].State).toBe("running");
    expect((await berth(["ps", "--status", "exited"])).stdout.split("\n").filter(Boolean)).toHaveLength(1);
  });

  it("logs prefixes lines with the container, or not", async () => {
    const logs = await berth(["logs", "greeter"]);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toBe("greeter-1  | hello-from-greeter\n");
    expect((await berth(["logs", "--no-log-prefix", "greeter"])).stdout).toBe("hello-from-greeter\n");
    expect((await berth(["logs", "--tail", "0", "greeter"])).stdout).toBe("");
    expect((await berth(["logs", "--since", "1h", "greeter"])).stdout).toBe(
      "greeter-1  | hello-from-greeter\n",
    );
    expect((await berth(["logs", "--until", "1h", "greeter"])).stdout).toBe("");
    const coloured = await berth(["--ansi", "always", "logs", "greeter"]);
    expect(coloured.stdout).toContain(`${ESC}[`);
    expect((await berth(["--ansi", "always", "logs", "--no-color", "greeter"])).stdout).not.toContain(ESC);
    expect((await berth(["logs", "-t", "greeter"])).stdout).toMatch(/^greeter-1 {2}\| \d{4}-\d\d-\d\dT/);
  });

  it("exec returns the command's exit code and takes -e and -w", async () => {
    expect((await berth(["exec", "greeter", "sh", "-c", "exit 7"])).code).toBe(7);
    const env = await berth([
      "exec",
      "-e",
      "GREETING=hi there",
      "-w",
      "/tmp",
      "greeter",
      "sh",
      "-c",
      'echo "$GREETING in $(pwd)"',
    ]);
    expect(env).toMatchObject({ code: 0, stdout: "hi there in /tmp\n" });
    expect((await berth(["exec", "-T", "--index", "1", "web", "true"])).code).toBe(0);
    const missing = await berth(["exec", "--index", "2", "web", "true"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: /);
  });

  it("run starts a one-off container and returns its exit code", async () => {
    const run = await berth(["run", "--rm", "-e", "X=42", "greeter", "sh", "-c", 'echo "x=$X"; exit 4']);
    expect(run.code).toBe(4);
    expect(run.stdout).toContain("x=42");
    const leftovers = await runBerth(["-p", project, "ps", "-a", "-q"], { cwd: dir.dir });
    expect(leftovers.stdout.trim().split("\n")).toHaveLength(2);
  });

  it("port prints the published address", async () => {
    const port = await berth(["port", "web", "80"]);
    expect(port.code).toBe(0);
    expect(port.stdout).toMatch(/^0\.0\.0\.0:\d+\n$/);
  });

  it("--dry-run prints each command's plan with its reasons and changes nothing", async () => {
    const dry = await berth(["up", "--dry-run", "--force-recreate"]);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain(`Container ${project}-web-1  Recreated  --force-recreate`);
    const stop = await berth(["--dry-run", "stop", "web"]);
    expect(stop.stderr).toBe(`Container ${project}-web-1  Stopped  running\n`);
    // After the command's name, as docker compose also takes it.
    const down = await berth(["--progress", "json", "down", "--dry-run", "-v"]);
    expect(down.code).toBe(0);
    const events = down.stderr
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: "network",
        name: `${project}_default`,
        action: "Removed",
        status: "planned",
      }),
    );
    expect(events.filter((e) => e.kind === "container").map((e) => e.action)).toEqual(["Removed", "Removed"]);
    const run = await berth(["run", "--dry-run", "--rm", "--name", `${project}-once`, "greeter", "true"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`Container ${project}-once  Created  one-off container`);
    expect(run.stderr).toContain(`Container ${project}-once  Removed  --rm, once it exits`);
    // A command that would change something without a plan to show is refused, not run.
    const attach = await berth(["--dry-run", "attach", "web"]);
    expect(attach.code).toBe(2);
    expect(attach.stderr).toContain(
      "--dry-run is not supported by berth attach (interactive run is not supported in dry-run mode",
    );
    // exec's plan names the container the real exec runs in (its hostname is the container's ID prefix).
    const exec = await berth(["--dry-run", "exec", "-T", "web", "sh", "-c", "touch /dry-run"]);
    expect(exec.code, exec.stderr).toBe(0);
    expect(exec.stderr).toBe(`Container ${project}-web-1  Executed  runs ["sh","-c","touch /dry-run"]\n`);
    const ran = await berth(["exec", "-T", "web", "sh", "-c", "test ! -e /dry-run && hostname"]);
    expect(ran.code, ran.stderr).toBe(0);
    const id = (await runCommand("docker", ["inspect", "--format", "{{.Id}}", `${project}-web-1`])).stdout;
    expect(id.startsWith(ran.stdout.trim())).toBe(true);
    const ps = await berth(["ps", "--format", "json"]);
    expect(
      ps.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).State),
    ).toEqual(["running", "running"]);
  });

  it("ls, images and top describe the running project", async () => {
    const ls = await runBerth(["ls", "--format", "json"]);
    expect(ls.code).toBe(0);
    expect(JSON.parse(ls.stdout)).toContainEqual(
      expect.objectContaining({ Name: project, Status: "running(2)" }),
    );
    const images = await berth(["images"]);
    expect(images.stdout).toMatch(
      new RegExp(`^${project}-web-1\\s+berth-examples/busybox\\s+latest\\s+[0-9a-f]{12}`, "m"),
    );
    const top = await berth(["top", "web"]);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain(`${project}-web-1`);
    expect(top.stdout).toContain("httpd");
  });

  it("cp copies files in and out of a service container", async () => {
    const local = tempProject({ "in.txt": "copied in\n" });
    try {
      const source = path.join(local.dir, "in.txt");
      const dry = await berth(["--dry-run", "cp", source, "greeter:/tmp/in.txt"]);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stderr).toBe(`Container ${project}-greeter-1  Copied  ${source} to greeter:/tmp/in.txt\n`);
      expect((await berth(["exec", "greeter", "test", "-e", "/tmp/in.txt"])).code).toBe(1);
      const dryOut = await berth([
        "--dry-run",
        "cp",
        "greeter:/etc/hostname",
        path.join(local.dir, "out.txt"),
      ]);
      expect(dryOut.code, dryOut.stderr).toBe(0);
      expect(existsSync(path.join(local.dir, "out.txt"))).toBe(false);
      const into = await berth(["cp", source, "greeter:/tmp/in.txt"]);
      expect(into.code).toBe(0);
      expect((await berth(["exec", "greeter", "cat", "/tmp/in.txt"])).stdout).toBe("copied in\n");
      const out = await berth(["cp", "greeter:/tmp/in.txt", path.join(local.dir, "out.txt")]);
      expect(out.code).toBe(0);
      expect(readFileSync(path.join(local.dir, "out.txt"), "utf8")).toBe("copied in\n");
      expect((await berth(["cp", "a", "b"])).code).toBe(2);
    } finally {
      local.cleanup();
    }
  });

  it("pause and unpause", async () => {
    expect((await berth(["pause", "greeter"])).code).toBe(0);
    expect((await berth(["ps", "--status", "paused", "--services"])).stdout).toBe("greeter\n");
    expect((await berth(["unpause", "greeter"])).code).toBe(0);
    expect((await berth(["ps", "--status", "paused", "--services"])).stdout).toBe("");
  });

  it("events --json streams the project's engine events until Ctrl-C", async () => {
    const bin = path.resolve(import.meta.dirname, "../../bin/berth.js");
    const child = spawn(process.execPath, [bin, "-p", project, "events", "--json"], { cwd: dir.dir });
    let stdout = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    try {
      // Let the subscription reach the engine before causing events.
      await new Promise((r) => setTimeout(r, 1500));
      await berth(["pause", "greeter"]);
      await berth(["unpause", "greeter"]);
      for (let i = 0; i < 50 && !stdout.includes('"unpause"'); i++)
        await new Promise((r) => setTimeout(r, 100));
      child.kill("SIGINT");
      expect(await exited).toBe(130);
      const events = stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(events).toContainEqual(
        expect.objectContaining({ type: "container", action: "pause", service: "greeter" }),
      );
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("stop, start, restart, kill and rm act on the named services", async () => {
    expect((await berth(["stop", "greeter"])).code).toBe(0);
    expect((await berth(["ps", "--services"])).stdout).toBe("web\n");
    expect((await berth(["start", "greeter"])).code).toBe(0);
    expect((await berth(["restart", "-t", "1", "greeter"])).code).toBe(0);
    expect((await berth(["ps", "--services"])).stdout).toBe("greeter\nweb\n");
    const kill = await berth(["kill", "-s", "SIGKILL", "greeter"]);
    expect(kill.code).toBe(0);
    expect(kill.stderr).toMatch(/Container .*-greeter-1 {2}Killed/);
    const rm = await berth(["rm", "-f", "greeter"]);
    expect(rm.code).toBe(0);
    expect((await berth(["ps", "-a", "--services"])).stdout).toBe("web\n");
  });

  it("down SERVICE removes only that service; down removes everything; ps then lists nothing", async () => {
    expect((await berth(["up", "-d"])).code).toBe(0);
    const one = await berth(["down", "-t", "1", "greeter"]);
    expect(one.code).toBe(0);
    expect(one.stderr).toContain(`Container ${project}-greeter-1  Removed`);
    expect(one.stderr).toContain(`Network ${project}_default  Resource is still in use`);
    expect((await berth(["ps", "-a", "--services"])).stdout).toBe("web\n");
    const down = await berth(["down", "-t", "1"]);
    expect(down.code).toBe(0);
    expect(down.stderr).toContain(`Network ${project}_default  Removed`);
    expect((await berth(["ps", "-a", "-q"])).stdout).toBe("");
  });
});

describe.skipIf(!requireDocker())("berth against the engine: attached up, TTY, names only", () => {
  const projects: string[] = [];
  const dirs: { cleanup: () => void }[] = [];
  const fresh = (prefix: string, compose: string) => {
    const project = uniqueProject(prefix);
    const dir = tempProject({ "compose.yaml": compose });
    projects.push(project);
    dirs.push(dir);
    return { project, dir: dir.dir };
  };
  afterAll(async () => {
    await Promise.all(projects.map(removeProject));
    for (const d of dirs) d.cleanup();
  });

  const JOBS = `services:
  job:
    image: ${BUSYBOX}
    command: ["sh", "-c", "echo job says hi; sleep 1; exit 3"]
    stop_grace_period: 1s
  sleeper:
    image: ${BUSYBOX}
    command: ["sleep", "3600"]
    stop_grace_period: 1s
`;

  it("up --exit-code-from returns that service's exit code and stops the rest", async () => {
    const { project, dir } = fresh("cli-exitcode", JOBS);
    const r = await runBerth(["-p", project, "up", "--exit-code-from", "job"], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("job-1  | job says hi");
    expect(r.stderr).toContain("Aborting on container exit");
    expect(r.stderr).not.toContain(ESC);
    const ps = await runBerth(["-p", project, "ps", "-q"], { cwd: dir });
    expect(ps.stdout).toBe("");
  });

  it("attached up ends with 0 when every container exited on its own", async () => {
    const { project, dir } = fresh(
      "cli-attached",
      `services:\n  once:\n    image: ${BUSYBOX}\n    command: ["echo", "done here"]\n`,
    );
    const r = await runBerth(["-p", project, "up", "--no-log-prefix"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("done here\n");
  });

  it("attached up shows only the attached services' logs", async () => {
    const { project, dir } = fresh(
      "cli-noattach",
      `services:\n  a:\n    image: ${BUSYBOX}\n    command: ["echo", "from a"]\n  b:\n    image: ${BUSYBOX}\n    command: ["echo", "from b"]\n`,
    );
    const skipB = await runBerth(["-p", project, "up", "--no-attach", "b"], { cwd: dir });
    expect(skipB).toMatchObject({ code: 0, stdout: "a-1  | from a\n" });
    const onlyB = await runBerth(["-p", project, "up", "--attach", "b"], { cwd: dir });
    expect(onlyB).toMatchObject({ code: 0, stdout: "b-1  | from b\n" });
  });

  it("down works with only -p once the compose file is gone", async () => {
    const { project, dir } = fresh("cli-nofile", JOBS);
    expect((await runBerth(["-p", project, "up", "-d", "sleeper"], { cwd: dir })).code).toBe(0);
    rmSync(path.join(dir, "compose.yaml"));
    const down = await runBerth(["-p", project, "down"], { cwd: dir });
    expect(down.code).toBe(0);
    expect(down.stderr).toContain(`Container ${project}-sleeper-1  Removed`);
    const without = await runBerth(["down"], { cwd: dir });
    expect(without.code).toBe(1);
  });

  it("wait prints the exit code of the service's container", async () => {
    const { project, dir } = fresh("cli-wait", JOBS);
    expect((await runBerth(["-p", project, "up", "-d", "job"], { cwd: dir })).code).toBe(0);
    const wait = await runBerth(["-p", project, "wait", "job"], { cwd: dir });
    expect(wait).toMatchObject({ code: 3, stdout: "3\n" });
    // The container has stopped: following its log ends at once.
    const follow = await runBerth(["-p", project, "logs", "-f", "job"], { cwd: dir });
    expect(follow).toMatchObject({ code: 0, stdout: "job-1  | job says hi\n" });
  });

  it("wait --down-project --dry-run waits for real, then prints the down the real run does", async () => {
    const { project, dir } = fresh("cli-wait-dry", JOBS);
    expect((await runBerth(["-p", project, "up", "-d", "job"], { cwd: dir })).code).toBe(0);
    const json = ["-p", project, "--progress", "json", "wait", "--down-project", "job"];
    const steps = (list: Record<string, unknown>[]) =>
      list.map((e) => `${e.kind} ${e.name} ${e.action}`).sort();
    const dry = await runBerth([...json, "--dry-run"], { cwd: dir });
    expect(dry, dry.stderr).toMatchObject({ code: 3, stdout: "3\n" });
    const planned = jsonEvents(dry.stderr);
    expect(planned.every((e) => e.status === "planned")).toBe(true);
    expect(steps(planned)).toContain(`container ${project}-job-1 Removed`);
    expect(await containerStates(project)).toEqual([`${project}-job-1 exited`]);
    const real = await runBerth(json, { cwd: dir });
    expect(real, real.stderr).toMatchObject({ code: 3, stdout: "3\n" });
    expect(steps(jsonEvents(real.stderr).filter((e) => e.status === "done"))).toEqual(steps(planned));
    expect(await containerStates(project)).toEqual([]);
  });

  it("build builds images, up runs them, down --rmi local removes them; pull fails clearly offline", async () => {
    const { project, dir } = fresh(
      "cli-build",
      `services:\n  app:\n    build: .\n    command: ["cat", "/built.txt"]\n  web:\n    image: ${BUSYBOX}\n`,
    );
    writeFileSync(path.join(dir, "Dockerfile"), `FROM ${BUSYBOX}\nRUN echo built > /built.txt\n`);
    try {
      const build = await runBerth(["-p", project, "build"], { cwd: dir });
      expect(build.code).toBe(0);
      expect(build.stderr).toContain(`Image ${project}-app  Built`);
      expect(build.stderr.match(/Building/g)).toHaveLength(1);
      const up = await runBerth(["-p", project, "up", "--no-build", "--no-log-prefix", "app"], { cwd: dir });
      expect(up).toMatchObject({ code: 0, stdout: "built\n" });
      expect((await runBerth(["-p", project, "down", "--rmi", "local"], { cwd: dir })).code).toBe(0);
      expect((await runCommand("docker", ["image", "inspect", `${project}-app`])).code).not.toBe(0);
      // No registry can be reached here: pull must fail with one error line, unless failures are ignored.
      const pull = await runBerth(["-p", project, "pull", "web"], { cwd: dir });
      expect(pull.code).toBe(1);
      expect(pull.stderr).toMatch(/^error: .*berth-examples\/busybox/m);
      expect(
        (await runBerth(["-p", project, "pull", "--ignore-pull-failures", "-q", "web"], { cwd: dir })).code,
      ).toBe(0);
    } finally {
      await runCommand("docker", ["rmi", "-f", `${project}-app`]);
    }
  });

  it("up --scale runs several containers of a service", async () => {
    const { project, dir } = fresh("cli-scale", JOBS);
    expect(
      (await runBerth(["-p", project, "up", "-d", "--scale", "sleeper=2", "sleeper"], { cwd: dir })).code,
    ).toBe(0);
    const ps = await runBerth(["-p", project, "ps", "--format", "json"], { cwd: dir });
    expect(
      ps.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).Name),
    ).toEqual([`${project}-sleeper-1`, `${project}-sleeper-2`]);
    expect((await runBerth(["-p", project, "up", "-d", "--scale", "sleeper=x"], { cwd: dir })).code).toBe(2);
  });

  it("--progress json writes one event per line", async () => {
    const { project, dir } = fresh("cli-json", JOBS);
    const r = await runBerth(["-p", project, "--progress", "json", "up", "-d", "sleeper"], { cwd: dir });
    expect(r.code).toBe(0);
    const events = r.stderr
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events).toContainEqual(
      expect.objectContaining({ kind: "container", action: "Started", status: "done" }),
    );
    const quiet = await runBerth(["-p", project, "--progress", "quiet", "down"], { cwd: dir });
    expect(quiet).toMatchObject({ code: 0, stderr: "" });
  });

  it("on a terminal, up draws the interactive list", async () => {
    const { project, dir } = fresh("cli-tty", JOBS);
    const r = await runBerthInTerminal(["-p", project, "up", "-d", "sleeper"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${ESC}[`);
    expect(r.stdout).toMatch(new RegExp(`Container ${project}-sleeper-1  Started  \\d+\\.\\ds`));
  });

  /** Starts an attached `up` of the service and resolves once its container has started. */
  async function attachedUp(project: string, dir: string, service: string) {
    const bin = path.resolve(import.meta.dirname, "../../bin/berth.js");
    const child = spawn(process.execPath, [bin, "-p", project, "up", service], {
      cwd: dir,
      env: { ...process.env, CI: "" },
    });
    const out = { stderr: "" };
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    await new Promise<void>((resolve, reject) => {
      child.stderr.on("data", (d) => {
        out.stderr += d;
        if (out.stderr.includes("Started")) resolve();
      });
      exited.then(() => reject(new Error(`up ended before starting: ${out.stderr}`)));
    });
    // Give attach a moment to subscribe to the container.
    await new Promise((r) => setTimeout(r, 500));
    return { child, exited, out };
  }

  it("Ctrl-C stops an attached up and exits 130", async () => {
    const { project, dir } = fresh("cli-sigint", JOBS);
    const { child, exited, out } = await attachedUp(project, dir, "sleeper");
    try {
      child.kill("SIGINT");
      expect(await exited).toBe(130);
      expect(out.stderr).toContain("Gracefully stopping");
      expect((await runBerth(["-p", project, "ps", "-q"], { cwd: dir })).stdout).toBe("");
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("a second Ctrl-C kills instead of waiting out the grace period", async () => {
    // sleep as PID 1 ignores SIGTERM, so a graceful stop would last the whole 60 s grace period.
    const { project, dir } = fresh(
      "cli-sigint2",
      `services:\n  stubborn:\n    image: ${BUSYBOX}\n    command: ["sleep", "3600"]\n    stop_grace_period: 60s\n`,
    );
    const { child, exited, out } = await attachedUp(project, dir, "stubborn");
    const start = Date.now();
    try {
      child.kill("SIGINT");
      await new Promise((r) => setTimeout(r, 1000));
      child.kill("SIGINT");
      expect(await exited).toBe(130);
      expect(Date.now() - start).toBeLessThan(20_000);
      expect(out.stderr).toContain("Killing");
      expect((await runBerth(["-p", project, "ps", "-q"], { cwd: dir })).stdout).toBe("");
    } finally {
      child.kill("SIGKILL");
    }
  });
});
