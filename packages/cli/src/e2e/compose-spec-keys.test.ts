import { describe, expect, it } from "vitest";
import { BUSYBOX, leftovers, requireDocker } from "../../../../test/helpers/docker.js";
import { runCommand } from "./harness.js";
import { removeProject } from "./project-cleanup.js";
import { useTempProject } from "./temp-project.test-helpers.js";

const IDLE = `["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]`;

/** Names of the project's pre_start hook containers (compose labels them com.docker.compose.hook). */
async function hookContainers(project: string): Promise<string[]> {
  const r = await runCommand("docker", [
    "ps",
    "-a",
    "--filter",
    `label=com.docker.compose.project=${project}`,
    "--filter",
    "label=com.docker.compose.hook=pre_start",
    "--format",
    "{{.Names}}",
  ]);
  return r.stdout.split("\n").filter(Boolean);
}

describe.skipIf(!requireDocker())("berth up: pre_start hooks", () => {
  // Each hook appends to a named volume the service mounts, so the service and the test see what ran.
  const { project, berth } = useTempProject(
    "cli-pre-start",
    () => ({
      "compose.yaml": `services:
  app:
    image: ${BUSYBOX}
    # What the hooks had written when the service's own command began.
    command: ["sh", "-c", "cp /data/runs /data/at-start; trap 'exit 0' TERM; sleep 3600 & wait"]
    environment:
      WHO: service
    volumes: [data:/data]
    pre_start:
      - command: ["sh", "-c", "echo migrate-$$WHO >> /data/runs"]
      - command: sh -c 'test -s /data/runs && echo seed-$$STEP >> /data/runs'
        environment:
          STEP: two
volumes:
  data: {}
`,
    }),
    removeProject,
  );

  const runs = async () => (await berth(["exec", "-T", "app", "cat", "/data/runs"])).stdout;

  it("runs the hooks in order, in containers sharing the service's volumes, before the service starts", async () => {
    const r = await berth(["up", "-d"]);
    expect(r.code, r.stderr).toBe(0);
    expect(await runs()).toBe("migrate-service\nseed-two\n");
    expect((await berth(["exec", "-T", "app", "cat", "/data/at-start"])).stdout).toBe(
      "migrate-service\nseed-two\n",
    );
    expect(await hookContainers(project)).toEqual([]);
  });

  it("runs nothing on an up that changes nothing, and again when the container is recreated", async () => {
    expect((await berth(["up", "-d"])).code).toBe(0);
    expect(await runs()).toBe("migrate-service\nseed-two\n");
    const r = await berth(["up", "-d", "--force-recreate"]);
    expect(r.code, r.stderr).toBe(0);
    expect(await runs()).toBe("migrate-service\nseed-two\nmigrate-service\nseed-two\n");
  });
});

describe.skipIf(!requireDocker())("berth up: a failing pre_start hook", () => {
  const { project, berth } = useTempProject(
    "cli-pre-start-fail",
    () => ({
      "compose.yaml": `services:
  app:
    image: ${BUSYBOX}
    command: ${IDLE}
    pre_start:
      - command: ["sh", "-c", "echo migration failed >&2; exit 3"]
`,
    }),
    removeProject,
  );

  it("fails the service with the hook's exit code and output, keeps the hook, leaves the service unstarted", async () => {
    const r = await berth(["up", "-d"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /service app failed: pre_start\[0\] exited with code 3 \(hook container \w{12} kept/,
    );
    expect(r.stderr).toContain("migration failed");
    expect(await hookContainers(project)).toHaveLength(1);
    const state = await runCommand("docker", ["inspect", "-f", "{{.State.Status}}", `${project}-app-1`]);
    expect(state.stdout.trim()).toBe("created");
  });

  it("is removed by down with the rest of the project", async () => {
    const r = await berth(["down"]);
    expect(r.code, r.stderr).toBe(0);
    expect(await leftovers(project)).toEqual([]);
  });
});

describe.skipIf(!requireDocker())("berth up: a pre_start hook per replica", () => {
  const { project, berth } = useTempProject(
    "cli-pre-start-replica",
    () => ({
      "compose.yaml": `services:
  app:
    image: ${BUSYBOX}
    command: ${IDLE}
    pre_start:
      - command: ["true"]
        per_replica: true
`,
    }),
    removeProject,
  );

  it("is refused as docker compose refuses it, running no hook", async () => {
    const r = await berth(["up", "-d"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "service app failed: pre_start[0]: per_replica is not supported yet; remove per_replica or set it to false",
    );
    expect(await hookContainers(project)).toEqual([]);
  });
});

describe.skipIf(!requireDocker())("berth up: a pre_start hook image that cannot be pulled", () => {
  // No registry answers here: the pull fails, and it must fail before anything is created.
  const { project, berth } = useTempProject(
    "cli-pre-start-image",
    (project) => ({
      "compose.yaml": `services:
  app:
    image: ${BUSYBOX}
    command: ${IDLE}
    pre_start:
      - image: 127.0.0.1:9/${project}-hook:1
        command: ["true"]
`,
    }),
    removeProject,
  );

  it("fails while the images are pulled, naming the hook and its image, with nothing created", async () => {
    const r = await berth(["up", "-d"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("app:pre_start 0");
    expect(r.stderr).toContain(`127.0.0.1:9/${project}-hook:1`);
    expect(await leftovers(project)).toEqual([]);
  });
});

describe.skipIf(!requireDocker())("berth up: models and provider services", () => {
  const { project, berth } = useTempProject(
    "cli-unsupported",
    () => ({
      "compose.yaml": `services:
  app:
    image: ${BUSYBOX}
    command: ${IDLE}
    depends_on: [db]
    models: [llm]
  db:
    provider:
      type: awesomecloud
      options:
        type: mysql
  other:
    image: ${BUSYBOX}
    command: ${IDLE}
volumes:
  data: {}
models:
  llm:
    model: ai/smollm2
`,
    }),
    removeProject,
  );

  it("refuses before creating anything, naming each service and what it needs", async () => {
    const r = await berth(["up", "-d"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('service db is managed by the provider "awesomecloud"');
    expect(r.stderr).toContain("service app uses the model llm, and Berth has no model runner");
    expect(await leftovers(project)).toEqual([]);
    const run = await berth(["run", "--rm", "--no-deps", "app", "true"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("service app uses the model llm");
    expect(await leftovers(project)).toEqual([]);
  });

  it("runs the services that need neither", async () => {
    const r = await berth(["up", "-d", "other"]);
    expect(r.code, r.stderr).toBe(0);
  });
});
