import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectOf } from "../../../test/helpers/project-of.js";
import { renderConfig } from "./config-output.js";
import { readableNames } from "./readable-names.js";
import { MASK, collectSecretValues, envFileValues, isSensitiveName, maskSecrets } from "./secret-values.js";
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
    const { values, contents } = collectSecretValues(p, shell);
    expect(values).toEqual(
      expect.arrayContaining(["dotenv-value", "shell-password", "tok-from-file", "npm-auth-arg"]),
    );
    // Secrets' texts are kept apart: they are masked even glued to other text.
    expect(contents).toEqual(
      expect.arrayContaining([
        "secret-from-env",
        "inline-secret",
        "AAAABBBBCCCCDDDD",
        "-----BEGIN KEY-----\nAAAABBBBCCCCDDDD\n-----END KEY-----",
      ]),
    );
    expect(values).not.toContain("inline-secret");
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
      expect([...values, ...contents]).not.toContain(v);
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
      wordpress: {
        image: "wordpress:latest",
        environment: { WORDPRESS_DB_PASSWORD: "wordpress" },
        build: { context: "/p", args: { NPM_TOKEN: "npm-token-1", MODE: "wordpress" } },
      },
    },
    { secrets: { s: { name: "s", content: "inline-secret" } } },
  );

  it("hides the values of entries named like secrets and secrets' content, and counts them", () => {
    const { project: masked, hidden } = maskSecrets(p);
    const text = renderConfig(masked, { format: "yaml" });
    expect(text).toContain(`POSTGRES_PASSWORD: '${MASK}'`);
    expect(text).toContain(`WORDPRESS_DB_PASSWORD: '${MASK}'`);
    expect(text).toContain(`NPM_TOKEN: '${MASK}'`);
    expect(text).toContain(`content: '${MASK}'`);
    expect(text).toContain("EMPTY_TOKEN: null");
    expect(hidden).toBe(4);
  });

  it("changes nothing else: names, images and other values read as written", () => {
    const text = renderConfig(maskSecrets(p).project, { format: "yaml" });
    expect(text).toContain("image: wordpress:latest");
    expect(text).toContain("  wordpress:\n");
    expect(text).toContain("MODE: wordpress");
    expect(text).toContain("POSTGRES_USER: admin");
    expect(text).toContain("--password=hunter22");
  });

  it("leaves the project it was given untouched", () => {
    maskSecrets(p);
    expect(p.services.db?.environment?.POSTGRES_PASSWORD).toBe("hunter22");
    expect(renderConfig(p, { format: "yaml" })).toContain("hunter22");
  });
});

describe("readableNames", () => {
  it("names the project, services, container names, images and resources, and the project as a prefix", () => {
    const names = readableNames(
      project(
        { db: { image: "ghcr.io/acme/pg:16@sha256:abc", container_name: "the-db" } },
        {
          name: "app",
          networks: { back: { name: "app_back" } },
          volumes: { data: { name: "shared-data", external: true } },
        },
      ),
    );
    expect(names.exact).toEqual(
      expect.arrayContaining(["app", "db", "the-db", "ghcr.io/acme/pg:16@sha256:abc", "ghcr.io/acme/pg"]),
    );
    expect(names.exact).toEqual(expect.arrayContaining(["back", "app_back", "data", "shared-data"]));
    expect(names.prefixes).toEqual(["app"]);
  });
});
