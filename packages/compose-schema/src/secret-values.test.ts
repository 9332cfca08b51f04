import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectOf } from "../../../test/helpers/project-of.js";
import { renderConfig } from "./config-output.js";
import {
  MASK,
  collectSecretValues,
  envFileValues,
  isSensitiveName,
  maskSecrets,
  replacer,
} from "./secret-values.js";
import type { Project, ServiceConfig } from "./types.js";

function project(services: Record<string, Partial<ServiceConfig>>, extra: Partial<Project> = {}): Project {
  return projectOf(
    Object.entries(services).map(([name, s]) => ({ name, ...s })),
    extra,
  );
}

const dir = mkdtempSync(path.join(tmpdir(), "berth-secret-values-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("isSensitiveName", () => {
  it.each([
    "DB_PASSWORD",
    "PGPASS",
    "MYSQL_ROOT_PASSWD",
    "client_secret",
    "GITHUB_TOKEN",
    "X_API_KEY",
    "apikey",
    "SSH_PRIVATE_KEY",
    "AWS_CREDENTIALS",
    "BASIC_AUTH",
  ])("%s is sensitive", (name) => expect(isSensitiveName(name)).toBe(true));
  it.each(["PORT", "HOST", "DEBUG", "GREETING", "KEYBOARD", "PATH"])("%s is not", (name) =>
    expect(isSensitiveName(name)).toBe(false),
  );
});

describe("collectSecretValues", () => {
  it("takes secrets, .env values and values of sensitive names, not short or tool values", () => {
    const file = path.join(dir, "key.pem");
    writeFileSync(file, "-----BEGIN KEY-----\nAAAABBBBCCCCDDDD\n-----END KEY-----\n");
    const p = project(
      {
        web: {
          image: "x",
          environment: { API_TOKEN: "tok-from-file", PLAIN: "plain-value-from-shell" },
          build: { context: "/p", args: { NPM_AUTH: "npm-auth-arg" } },
        },
      },
      {
        environment: {
          FROM_DOTENV: "dotenv-value",
          SHORT: "abc",
          COMPOSE_FILE: "compose.yaml",
          COMPOSE_PROJECT_NAME: "demo",
          APP_NAME: "web",
          SHELL_VALUE: "from-the-shell",
          SHELL_PASSWORD: "shell-password",
          AUTH_ENABLED: "true",
          FROM_SECRET_ENV: "secret-from-env",
        },
        secrets: {
          a: { name: "a", environment: "FROM_SECRET_ENV" },
          b: { name: "b", content: "inline-secret" },
          c: { name: "c", file },
        },
      },
    );
    const shell = {
      SHELL_VALUE: "from-the-shell",
      SHELL_PASSWORD: "shell-password",
      FROM_SECRET_ENV: "secret-from-env",
    };
    const values = collectSecretValues(p, shell);
    expect(values).toEqual(
      expect.arrayContaining([
        "dotenv-value",
        "shell-password",
        "secret-from-env",
        "tok-from-file",
        "npm-auth-arg",
        "inline-secret",
        "AAAABBBBCCCCDDDD",
        "-----BEGIN KEY-----\nAAAABBBBCCCCDDDD\n-----END KEY-----",
      ]),
    );
    // Shell values of ordinary names, compose settings, names every line shows, short values: not secret.
    for (const v of [
      "from-the-shell",
      "plain-value-from-shell",
      "compose.yaml",
      "demo",
      "web",
      "abc",
      "true",
    ])
      expect(values).not.toContain(v);
  });
});

describe("envFileValues", () => {
  it("reads the .env a failed load would have read, without the shell's own values", () => {
    const p = mkdtempSync(path.join(dir, "env-"));
    writeFileSync(path.join(p, ".env"), "A=from-dotenv\nB=overridden-in-dotenv\nCOMPOSE_PROFILES=debug\n");
    writeFileSync(path.join(p, "compose.yaml"), "services: {}\n");
    const values = envFileValues({ cwd: p, env: { B: "shell-wins" } });
    expect(values).toEqual(["from-dotenv"]);
  });

  it("returns nothing when the environment cannot be read (the load reports why)", () => {
    expect(envFileValues({ cwd: dir, envFiles: ["missing.env"], env: {} })).toEqual([]);
  });
});

describe("maskSecrets", () => {
  const p = project(
    {
      db: {
        image: "postgres",
        environment: { POSTGRES_PASSWORD: "hunter22", POSTGRES_USER: "admin", EMPTY_TOKEN: null },
        command: ["postgres", "--password=hunter22"],
      },
    },
    { environment: { DB_PASSWORD: "hunter22" }, secrets: { s: { name: "s", content: "inline-secret" } } },
  );

  it("masks values of sensitive names wherever they were interpolated, and secrets' content", () => {
    const text = renderConfig(maskSecrets(p, {}), { format: "yaml" });
    expect(text).toContain(`POSTGRES_PASSWORD: '${MASK}'`);
    expect(text).toContain(`--password=${MASK}`);
    expect(text).toContain("POSTGRES_USER: admin");
    expect(text).toContain("EMPTY_TOKEN: null");
    expect(text).toContain(`content: '${MASK}'`);
    expect(text).not.toContain("hunter22");
    expect(text).not.toContain("inline-secret");
  });

  it("leaves the project it was given untouched", () => {
    maskSecrets(p, {});
    expect(p.services.db?.environment?.POSTGRES_PASSWORD).toBe("hunter22");
    expect(renderConfig(p, { format: "yaml" })).toContain("hunter22");
  });
});

describe("replacer", () => {
  it("masks the longest value first and ignores short ones", () => {
    const r = replacer(["secret", "secret-longer", "ab"]);
    expect(r("x secret-longer y secret ab")).toBe(`x ${MASK} y ${MASK} ab`);
  });
});
