import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderConfig } from "./config-output.js";
import { loadProject } from "./load.js";

/**
 * Every folder of fixtures/valid is a project whose `expected.yaml`/`expected.json` are what docker
 * compose v2.23's `config` printed for it (scripts/update-corpus.sh). Berth must print the very same text.
 */
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "valid");
const cases = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

function readOptional(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8") : "";
}

interface CaseArgs {
  files?: string[];
  profiles?: string[];
  envFiles?: string[];
  projectName?: string;
  services?: string[];
}

/** What args.txt may hold: -f, --profile, --env-file, -p, and service names. */
function parseArgs(text: string): CaseArgs {
  const words = text.split(/\s+/).filter((w) => w !== "");
  const files: string[] = [];
  const profiles: string[] = [];
  const envFiles: string[] = [];
  const services: string[] = [];
  const out: CaseArgs = {};
  for (let i = 0; i < words.length; i += 2) {
    const [flag, value] = [words[i], words[i + 1]];
    if (flag !== undefined && !flag.startsWith("-")) {
      services.push(flag);
      i--;
      continue;
    }
    if (value === undefined) throw new Error(`flag ${flag} without a value`);
    if (flag === "-f") files.push(value);
    else if (flag === "--profile") profiles.push(value);
    else if (flag === "--env-file") envFiles.push(value);
    else if (flag === "-p") out.projectName = value;
    else throw new Error(`unsupported flag in args.txt: ${flag}`);
  }
  if (files.length > 0) out.files = files;
  if (profiles.length > 0) out.profiles = profiles;
  if (envFiles.length > 0) out.envFiles = envFiles;
  if (services.length > 0) out.services = services;
  return out;
}

function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const at = line.indexOf("=");
    if (at > 0) env[line.slice(0, at)] = line.slice(at + 1);
  }
  return env;
}

describe("valid corpus: same output as docker compose config", () => {
  it("has at least 40 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)("%s", async (name) => {
    const dir = path.join(root, name);
    const project = await loadProject({
      cwd: dir,
      projectDirectory: dir,
      env: { HOME: "/nonexistent-home", ...parseEnv(readOptional(path.join(dir, "env.txt"))) },
      ...parseArgs(readOptional(path.join(dir, "args.txt"))),
    });
    const yaml = renderConfig(project, { format: "yaml" })
      .replaceAll(dir, "<dir>")
      .replaceAll(root, "<corpus>");
    expect(yaml).toBe(readFileSync(path.join(dir, "expected.yaml"), "utf8"));
    const json = renderConfig(project, { format: "json" })
      .replaceAll(dir, "<dir>")
      .replaceAll(root, "<corpus>");
    expect(json).toBe(readFileSync(path.join(dir, "expected.json"), "utf8"));
  });
});
