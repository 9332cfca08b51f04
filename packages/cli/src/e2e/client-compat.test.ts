import { beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, requireDocker } from "../../../../test/helpers/docker.js";
import { freePort } from "../../../../test/helpers/ports.js";
import { runCommand } from "./harness.js";
import { removeProject } from "./project-cleanup.js";
import { useTempProject } from "./temp-project.test-helpers.js";

/** What programs driving `docker compose` read: ps and images as JSON, exec's errors, a paused container. */

// The higher port first: listed in ascending order whatever order the file or the engine gives.
const STACK = `services:
  web:
    image: ${BUSYBOX}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    ports: ["\${P_HIGH}:\${P_HIGH}", "\${P_LOW}:\${P_LOW}"]
    volumes: [data:/data]
    stop_grace_period: 1s
volumes:
  data: {}
`;

/** The PS fields of docker compose v2's `ps --format json`, in its order. */
const PS_FIELDS = [
  "Command",
  "CreatedAt",
  "ExitCode",
  "Health",
  "ID",
  "Image",
  "Labels",
  "LocalVolumes",
  "Mounts",
  "Name",
  "Names",
  "Networks",
  "Ports",
  "Project",
  "Publishers",
  "RunningFor",
  "Service",
  "Size",
  "State",
  "Status",
];

async function docker(args: string[]): Promise<string> {
  const r = await runCommand("docker", args);
  if (r.code !== 0) throw new Error(`docker ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
}

describe.skipIf(!requireDocker())("what a docker compose client reads", () => {
  const { project, berth: berthIn } = useTempProject(
    "client-compat",
    () => ({ "compose.yaml": STACK }),
    removeProject,
  );
  const env: Record<string, string> = {};
  const berth = (args: string[]) => berthIn(args, { env });
  const web = `${project}-web-1`;

  beforeAll(async () => {
    const [a, b] = [await freePort(), await freePort()];
    env.P_LOW = String(Math.min(a, b));
    env.P_HIGH = String(Math.max(a, b));
    const up = await berth(["up", "-d"]);
    if (up.code !== 0) throw new Error(`up failed: ${up.stderr}`);
  });

  it("ps --format json prints docker compose's object per line, Ports as docker's text", async () => {
    const r = await berth(["ps", "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    const row = JSON.parse(lines[0]);
    expect(Object.keys(row)).toEqual(PS_FIELDS);
    // The docker CLI prints the same container's ports and times with the same code as compose.
    const [ports, createdAt, id, mounts] = (
      await docker([
        "ps",
        "--filter",
        `name=^${web}$`,
        "--format",
        "{{.Ports}}|{{.CreatedAt}}|{{.ID}}|{{.Mounts}}",
      ])
    ).split("|");
    const low = `0.0.0.0:${env.P_LOW}->${env.P_LOW}/tcp`;
    const high = `0.0.0.0:${env.P_HIGH}->${env.P_HIGH}/tcp`;
    expect(row.Ports).toBe(ports);
    expect(row.Ports.indexOf(low)).toBeLessThan(row.Ports.indexOf(high));
    expect(row.Ports.indexOf(low)).toBeGreaterThanOrEqual(0);
    // Go's json.Marshal escapes ">": the text is docker's, the value the same.
    expect(lines[0]).toContain(`${env.P_LOW}-\\u003e${env.P_LOW}/tcp`);
    expect(row).toMatchObject({
      Command: "\"sh -c 'trap 'exit 0…\"",
      CreatedAt: createdAt,
      ExitCode: 0,
      Health: "",
      ID: id,
      Image: BUSYBOX,
      LocalVolumes: "1",
      Mounts: mounts,
      Name: web,
      Names: web,
      Networks: `${project}_default`,
      Project: project,
      Service: "web",
      Size: "0B",
      State: "running",
    });
    expect(row.Labels.split(",")).toContain(`com.docker.compose.project=${project}`);
    expect(row.RunningFor).toMatch(/ ago$/);
    expect(row.Publishers.filter((p: { URL: string }) => p.URL === "0.0.0.0")).toEqual([
      { URL: "0.0.0.0", TargetPort: Number(env.P_LOW), PublishedPort: Number(env.P_LOW), Protocol: "tcp" },
      { URL: "0.0.0.0", TargetPort: Number(env.P_HIGH), PublishedPort: Number(env.P_HIGH), Protocol: "tcp" },
    ]);

    const table = await berth(["ps"]);
    expect(table.stdout.split("\n")[1]?.endsWith(`   ${ports}`)).toBe(true);
  });

  it("images --format json has compose's fields, in its order", async () => {
    const r = await berth(["images", "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const [image] = JSON.parse(r.stdout);
    const [id, platform, created] = (
      await docker([
        "image",
        "inspect",
        "--format",
        "{{.Id}}|{{.Os}}/{{.Architecture}}|{{.Created}}",
        BUSYBOX,
      ])
    ).split("|");
    expect(Object.keys(image).slice(0, 7)).toEqual([
      "ID",
      "ContainerName",
      "Repository",
      "Tag",
      "Platform",
      "Size",
      "Created",
    ]);
    expect(image).toMatchObject({
      ID: id,
      ContainerName: web,
      Repository: "berth-examples/busybox",
      Tag: "latest",
      Platform: platform,
      Created: created,
    });
    expect((await berth(["images", "-q"])).stdout).toBe(`${id.replace("sha256:", "")}\n`);
  });

  it("exec into a paused container fails with the engine's message; up fails as compose's does", async () => {
    expect((await berth(["pause", "web"])).code).toBe(0);
    try {
      const exec = await berth(["exec", "-T", "web", "true"]);
      expect(exec.code).toBe(1);
      expect(exec.stderr).toMatch(
        /^error: Container [0-9a-f]+ is paused, unpause the container before exec$/m,
      );

      // docker compose starts a paused container and the engine refuses; nothing is changed.
      const up = await berth(["up", "-d"]);
      expect(up.code).toBe(1);
      expect(up.stderr).toContain(
        `error: service web failed: starting container ${web}: cannot start a paused container, try unpause instead`,
      );
      expect(await docker(["inspect", "--format", "{{.State.Status}}", web])).toBe("paused");

      // --verbose shows the refused request and the error's stack.
      const verbose = await berth(["--verbose", "exec", "-T", "web", "true"]);
      expect(verbose.code).toBe(1);
      expect(verbose.stderr).toMatch(/^debug: engine GET \/containers\/json ok \(\d+ ms\)$/m);
      expect(verbose.stderr).toMatch(
        /^debug: engine POST \/containers\/[0-9a-f]+\/exec failed: HTTP 409 \(\d+ ms\)$/m,
      );
      expect(verbose.stderr).toMatch(/^ExecRefusedError: Container .* is paused/m);
      expect(verbose.stderr).toMatch(/^\s+at /m);
    } finally {
      await berth(["unpause", "web"]);
    }
    const exec = await berth(["exec", "-T", "web", "echo", "hi"]);
    expect(exec.code, exec.stderr).toBe(0);
    expect(exec.stdout).toBe("hi\n");
  }, 60_000);
});
