import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, runBerth, runBerthInTerminal } from "../../packages/cli/src/e2e/harness.js";
import { removeProject } from "../../packages/cli/src/e2e/project-cleanup.js";
import { BUSYBOX, requireDocker, uniqueProject } from "../helpers/docker.js";

/**
 * Secret values never leave the berth process in progress, JSON events or errors, where they stand as
 * values; names stay readable even when a password equals one. `config` for a program (pipe, file,
 * JSON) is exact; on a terminal it hides values of variables named like passwords, tokens and keys
 * unless `--show-secrets`, and says so. Every value is random per run, so finding one in the output can
 * only mean it leaked. Each scenario also checks that the mask is where the value would have been: a
 * test that printed nothing at all could not pass.
 */

const MASK = "********";
const rand = () => Math.random().toString(36).slice(2, 10);

/** A value per source of secrets the loader knows. */
const values = {
  /** `.env`, a variable named like a password. */
  dotenvPassword: `dotenv-pw-${rand()}`,
  /** `.env`, an ordinary name: every .env value counts as secret. */
  dotenvPlain: `dotenv-plain-${rand()}`,
  /** Process environment, named like a token (not from .env). */
  envToken: `env-token-${rand()}`,
  /** A secret with `environment:` source. */
  secretEnv: `secret-env-${rand()}`,
  /** A secret with `file:` source. */
  secretFile: `secret-file-${rand()}`,
};

const IDLE = `["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait", "\${DOTENV_PLAIN}"]`;

const compose = `
services:
  web:
    image: ${BUSYBOX}
    command: ${IDLE}
    environment:
      DB_PASSWORD: \${DB_PASSWORD}
      API_TOKEN: \${API_TOKEN}
      GREETING: hello \${DOTENV_PLAIN}
    labels:
      note: \${DOTENV_PLAIN}
    secrets: [app_secret, db_file]
  job:
    profiles: [fail]
    image: ${BUSYBOX}
    # Prints every secret to its log and fails: up --wait quotes the last log lines in its error.
    command: ["sh", "-c", "cat /run/secrets/app_secret /run/secrets/db_file; echo \${DOTENV_PLAIN} $$DB_PASSWORD $$API_TOKEN; exit 3"]
    environment:
      DB_PASSWORD: \${DB_PASSWORD}
      API_TOKEN: \${API_TOKEN}
    secrets: [app_secret, db_file]
  sick:
    profiles: [fail]
    image: ${BUSYBOX}
    command: ${IDLE}
    environment:
      DB_PASSWORD: \${DB_PASSWORD}
    # The healthcheck's output is the detail of the error event.
    healthcheck:
      test: ["CMD-SHELL", "echo checking $$DB_PASSWORD \${DOTENV_PLAIN}; exit 1"]
      interval: 1s
      retries: 1
  badwd:
    profiles: [fail]
    image: ${BUSYBOX}
    # The engine refuses it at create time, quoting the value in its error.
    working_dir: relative-\${DOTENV_PLAIN}
secrets:
  app_secret:
    environment: APP_SECRET
  db_file:
    file: ./db_password.txt
`;

describe.skipIf(!requireDocker())("security: secret values never appear in output", () => {
  const project = uniqueProject("sec-redact");
  let dir: string;
  const env = { API_TOKEN: values.envToken, APP_SECRET: values.secretEnv };
  const berth = (args: string[], extraEnv: Record<string, string> = {}) =>
    runBerth(["-p", project, ...args], { cwd: dir, env: { ...env, ...extraEnv }, timeoutMs: 110_000 });

  /** The output has none of the secret values, except those listed in `allowed`. */
  function expectNoSecrets(r: CliResult, allowed: string[] = []): void {
    const out = r.stdout + r.stderr;
    for (const [name, value] of Object.entries(values)) {
      if (!allowed.includes(value)) expect(out, `${name} leaked`).not.toContain(value);
    }
  }

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "berth-sec-redact-"));
    writeFileSync(path.join(dir, "compose.yaml"), compose);
    writeFileSync(
      path.join(dir, ".env"),
      `DB_PASSWORD=${values.dotenvPassword}\nDOTENV_PLAIN=${values.dotenvPlain}\nCOMPOSE_PARALLEL_LIMIT=8\n`,
    );
    writeFileSync(path.join(dir, "db_password.txt"), `${values.secretFile}\n`);
    // A .env value and a token from the process environment, each rejected by the schema.
    writeFileSync(
      path.join(dir, "bad.yaml"),
      `services:\n  web:\n    image: ${BUSYBOX}\n    ports: ["\${DOTENV_PLAIN}"]\n    restart: \${API_TOKEN}\n`,
    );
  });

  afterAll(async () => {
    await removeProject(project);
    rmSync(dir, { recursive: true, force: true });
  });

  it("config to a pipe, a file or as JSON is exact, as docker compose prints it", async () => {
    const piped = await berth(["config"]);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toContain(`DB_PASSWORD: ${values.dotenvPassword}`);
    expect(piped.stdout).toContain(`API_TOKEN: ${values.envToken}`);
    expect(piped.stdout).not.toContain(MASK);
    expect(piped.stderr).not.toContain("hidden");
    const json = JSON.parse((await berth(["config", "--format", "json"])).stdout);
    expect(json.services.web.environment.DB_PASSWORD).toBe(values.dotenvPassword);
    const written = await berth(["config", "-o", "resolved.yaml"]);
    expect(written.code, written.stderr).toBe(0);
    expect(readFileSync(path.join(dir, "resolved.yaml"), "utf8")).toBe(piped.stdout);
  });

  it("config on a terminal hides variables named like secrets, says so, and --show-secrets shows them", async () => {
    const inTerminal = (args: string[]) =>
      runBerthInTerminal(["-p", project, ...args], { cwd: dir, env, timeoutMs: 30_000 });
    const masked = await inTerminal(["config"]);
    expect(masked.code, masked.stdout).toBe(0);
    expect(masked.stdout).toContain(`DB_PASSWORD: '${MASK}'`);
    expect(masked.stdout).toContain(`API_TOKEN: '${MASK}'`);
    expect(masked.stdout).toContain("2 values hidden; --show-secrets shows them");
    // An ordinary name keeps its value: config shows the resolved project.
    expect(masked.stdout).toContain(`GREETING: hello ${values.dotenvPlain}`);
    expect(masked.stdout).not.toContain(values.dotenvPassword);
    expect(masked.stdout).not.toContain(values.envToken);

    const shown = await inTerminal(["config", "--show-secrets"]);
    expect(shown.code, shown.stdout).toBe(0);
    expect(shown.stdout).toContain(`DB_PASSWORD: ${values.dotenvPassword}`);
    expect(shown.stdout).not.toContain("hidden");
  });

  it("masks values a loader error quotes, in config and in up", async () => {
    for (const command of [["config"], ["up", "-d"]]) {
      const r = await berth(["-f", "bad.yaml", ...command]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`"${MASK}" is not a valid port mapping`);
      expect(r.stderr).toContain(`restart: "${MASK}" is not one of`);
      expectNoSecrets(r);
    }
  });

  it("up -d with --progress plain and json: no value in progress or events", async () => {
    const plain = await berth(["--progress", "plain", "up", "-d"]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toContain("Started");
    expectNoSecrets(plain);

    // A changed .env value recreates the container: the reason names the variable, never the values.
    const changed = `dotenv-pw2-${rand()}`;
    const json = await berth(["--progress", "json", "up", "-d"], { DB_PASSWORD: changed });
    expect(json.code, json.stderr).toBe(0);
    const events = json.stderr
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { action: string; detail?: string });
    expect(events.find((e) => e.action === "Recreate")?.detail).toContain("DB_PASSWORD");
    expectNoSecrets(json);
    expect(json.stderr).not.toContain(changed);
  }, 120_000);

  it("a failed --wait masks the log lines and healthcheck output its error quotes", async () => {
    const job = await berth(["--progress", "plain", "--profile", "fail", "up", "-d", "--wait", "job"]);
    expect(job.code).toBe(1);
    expect(job.stderr).toContain("exited with code 3");
    // The four lines the job printed, every value masked.
    expect(job.stderr).toContain(`${MASK} ${MASK} ${MASK}`);
    expectNoSecrets(job);

    const sick = await berth(["--progress", "json", "--profile", "fail", "up", "-d", "--wait", "sick"]);
    expect(sick.code).toBe(1);
    const error = sick.stderr
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { status: string; detail?: string; error?: string })
      .find((e) => e.status === "error");
    expect(error?.detail).toContain(`checking ${MASK} ${MASK}`);
    expect(error?.error).toContain(MASK);
    expectNoSecrets(sick);
  }, 120_000);

  it("attached up masks an engine error that quotes the container's config", async () => {
    const r = await berth(["--progress", "plain", "--profile", "fail", "up", "badwd"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`relative-${MASK}`);
    expectNoSecrets(r);
  }, 120_000);
});

describe.skipIf(!requireDocker())("security: names stay readable when a password equals one", () => {
  const project = uniqueProject("pwname");
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "berth-sec-names-"));
    // The tutorial set-up (a service named like its password), and a password that is a word of the
    // project's name, which every container, network and volume name begins with.
    writeFileSync(
      path.join(dir, "compose.yaml"),
      `services:
  postgres:
    image: ${BUSYBOX}
    command: ${IDLE}
    environment:
      POSTGRES_PASSWORD: postgres
    volumes: [data:/data]
  app:
    image: ${BUSYBOX}
    command: ${IDLE}
    environment:
      DB_PASSWORD: pwname
volumes:
  data: {}
`,
    );
  });

  afterAll(async () => {
    await removeProject(project);
    rmSync(dir, { recursive: true, force: true });
  });

  it("up prints container, network and volume names as they are", async () => {
    const r = await runBerth(["-p", project, "--progress", "plain", "up", "-d"], {
      cwd: dir,
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Container ${project}-postgres-1 `);
    expect(r.stderr).toContain(`Container ${project}-app-1 `);
    expect(r.stderr).toContain(`Network ${project}_default `);
    expect(r.stderr).toContain(`Volume ${project}_data `);
    expect(r.stderr).not.toContain(MASK);
  }, 90_000);
});
