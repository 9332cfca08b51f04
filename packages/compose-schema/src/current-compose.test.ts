import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderConfig } from "./config-output.js";
import { loadProject } from "./load.js";
import { useTempProjects } from "./temp-project.test-helpers.js";

/**
 * Where docker compose v2.23 (the reference loader of the corpus) and today's docker compose
 * (compose-go v2: loader/, override/) disagree, Berth follows today's compose. Each case names what the
 * reference prints instead; README's "Differences from docker compose" points here.
 */
const project = useTempProjects("current");

describe("following current docker compose where v2.23 differs", () => {
  it("keeps long-syntax volumes of an extended, merged service in the order written", async () => {
    // compose-go v2 appends the extending service's and the later file's entries and puts a later entry
    // of the same target in the earlier one's place (override.EnforceUnicity); v2.23 sorts them by target.
    // (compose-go replaces that entry; Berth merges it, as the Compose Specification says: merge.ts.)
    const dir = project({
      "compose.yaml": [
        "services:",
        "  base:",
        "    image: x",
        "    volumes:",
        "      - {type: volume, source: zdata, target: /z}",
        "      - {type: bind, source: ./m, target: /m}",
        "  web:",
        "    extends: base",
        "    volumes:",
        "      - {type: bind, source: ./a, target: /a}",
        "volumes:",
        "  zdata: {}",
        "",
      ].join("\n"),
      "compose.override.yaml": [
        "services:",
        "  web:",
        "    volumes:",
        "      - {type: bind, source: ./b, target: /b}",
        "      - {type: bind, source: ./m2, target: /m}",
        "",
      ].join("\n"),
    });
    const p = await loadProject({ cwd: dir, env: {} });
    expect(p.services.web?.volumes?.map((v) => [v.target, v.source])).toEqual([
      ["/z", "zdata"],
      ["/m", path.join(dir, "m2")],
      ["/a", path.join(dir, "a")],
      ["/b", path.join(dir, "b")],
    ]);
  });

  it("keeps a network's name when a later file adds only ipam", async () => {
    // v2.23 replaces the whole network entry, so its name becomes <project>_front.
    const dir = project({
      "compose.yaml":
        "services:\n  web:\n    image: x\n    networks: [front]\nnetworks:\n  front:\n    name: shared-front\n",
      "compose.override.yaml":
        "networks:\n  front:\n    ipam:\n      config:\n        - subnet: 10.5.0.0/16\n",
    });
    const p = await loadProject({ cwd: dir, env: {} });
    expect(p.networks.front).toEqual({
      name: "shared-front",
      ipam: { config: [{ subnet: "10.5.0.0/16" }] },
    });
  });

  it("leaves out an empty develop.watch ignore list and an empty target", async () => {
    // v2.23 prints `target: ""` and `ignore: []` for every watch entry; compose-go v2 omits them.
    const dir = project({
      "compose.yaml":
        "services:\n  web:\n    build: .\n    develop:\n      watch:\n        - path: ./package.json\n          action: rebuild\n",
    });
    const p = await loadProject({ cwd: dir, env: {} });
    const yaml = renderConfig(p, { format: "yaml" });
    expect(yaml).toContain(
      `    develop:\n      watch:\n        - path: ${path.join(dir, "package.json")}\n          action: rebuild\n    networks:`,
    );
  });
});
