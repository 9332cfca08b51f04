import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderConfig } from "./config-output.js";
import { ComposeErrors } from "./errors.js";
import { loadProject } from "./load.js";
import { useTempProjects } from "./temp-project.test-helpers.js";

/**
 * Compose Specification keys that docker compose v5 (compose-go v2) accepts and the v2.23 reference
 * rejects, so they cannot be in the valid corpus: how they load and how `config` prints them follows
 * compose-go v2's types (field order) and loader/normalize.go.
 */
const tempProject = useTempProjects("keys");
const project = (compose: string) => tempProject({ "compose.yaml": compose, "token.txt": "t" });

const compose = `name: keys
services:
  app:
    image: registry.example/app:1
    build:
      context: .
      no_cache_filter: deps
    depends_on: [db]
    models: [llm]
    pre_start:
      - command: ./migrate --up
        environment: [STEP=migrate]
      - image: busybox
        command: ["true"]
        per_replica: false
    secrets: [token]
  chat:
    image: chat
    models:
      llm:
        endpoint_var: AI_URL
        model_var: AI_MODEL
  db:
    provider:
      type: awesomecloud
      options:
        type: mysql
        size: 256
        tags: [a, b]
models:
  llm:
    model: ai/smollm2
    context_size: 1024
    runtime_flags: [--verbose]
  unused:
    model: ai/other
secrets:
  token:
    file: ./token.txt
    driver: vault
    driver_opts: {path: kv/app}
    template_driver: golang
`;

describe("current Compose Specification keys", () => {
  it("loads models, provider, pre_start, build.no_cache_filter and secret drivers, and prints them", async () => {
    const dir = project(compose);
    const p = await loadProject({ cwd: dir, env: {} });
    expect(renderConfig(p, { format: "yaml" }).replaceAll(dir, "<dir>")).toBe(`name: keys
services:
  app:
    build:
      context: <dir>
      dockerfile: Dockerfile
      no_cache_filter:
        - deps
    depends_on:
      db:
        condition: service_started
        required: true
    image: registry.example/app:1
    models:
      llm: null
    networks:
      default: null
    secrets:
      - source: token
    pre_start:
      - command:
          - ./migrate
          - --up
        image: registry.example/app:1
        environment:
          STEP: migrate
      - command:
          - "true"
        image: busybox
  chat:
    image: chat
    models:
      llm:
        endpoint_var: AI_URL
        model_var: AI_MODEL
    networks:
      default: null
  db:
    provider:
      type: awesomecloud
      options:
        size: 256
        tags:
          - a
          - b
        type: mysql
networks:
  default:
    name: keys_default
secrets:
  token:
    name: keys_token
    file: <dir>/token.txt
    driver: vault
    driver_opts:
      path: kv/app
    template_driver: golang
models:
  llm:
    model: ai/smollm2
    context_size: 1024
    runtime_flags:
      - --verbose
`);
  });

  it("reports a service's model that is not defined at the top level, where it is named", async () => {
    const dir = project("services:\n  app:\n    image: x\n    models: [llm]\n");
    const err = await loadProject({ cwd: dir, env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ComposeErrors);
    expect((err as ComposeErrors).errors.map((e) => e.message)).toEqual([
      `${path.join(dir, "compose.yaml")}:4:14: service "app" refers to undefined model llm`,
    ]);
  });

  it("still rejects `driver` on a config, as compose v5's schema does", async () => {
    const dir = project(
      "services:\n  app:\n    image: x\nconfigs:\n  c:\n    file: ./token.txt\n    driver: x\n",
    );
    const err = await loadProject({ cwd: dir, env: {} }).catch((e: unknown) => e);
    expect((err as ComposeErrors).errors.map((e) => e.message)).toEqual([
      `${path.join(dir, "compose.yaml")}:7:5: configs.c: unknown key "driver"`,
    ]);
  });
});
