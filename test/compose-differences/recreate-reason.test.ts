import { observeProject, planUp, up } from "@berth/engine";
import { afterAll, describe, expect, it } from "vitest";
import { docker, requireDocker, uniqueProject } from "../helpers/docker.js";
import { cleanup, makeProject } from "./project.js";

// docker compose prints only "Recreate" / "Recreated": which part of the service changed is not said.
// Berth names the changed keys in the event detail and in the plan that `up --dry-run` prints.
describe.skipIf(!requireDocker())("every recreate says why", () => {
  const name = uniqueProject("reason");
  afterAll(() => cleanup(name));

  it("names the changed top-level keys and map keys", async () => {
    const before = makeProject(name, [
      { name: "api", environment: { API_URL: "http://a", LEVEL: "info" }, labels: { tier: "front" } },
      { name: "db" },
    ]);
    await up(docker, before);

    const after = makeProject(name, [
      {
        name: "api",
        environment: { API_URL: "http://b", LEVEL: "info", DEBUG: "1" },
        labels: {},
        working_dir: "/srv",
      },
      { name: "db" },
    ]);
    const expected =
      "environment.API_URL changed; environment.DEBUG added; labels.tier removed; working_dir added";

    const planned = planUp(after, await observeProject(docker, name, { project: after }));
    const actions = planned.services.flatMap((s) => s.actions);
    expect(actions.find((a) => a.service === "api")).toMatchObject({ type: "recreate", reason: expected });
    expect(actions.find((a) => a.service === "db")).toMatchObject({ type: "keep" });

    const recreates = new Set<string | undefined>();
    await up(docker, after, {}, (e) => {
      if (e.kind === "container" && e.action.startsWith("Recreate")) recreates.add(`${e.name} ${e.detail}`);
    });
    expect([...recreates]).toEqual([`${name}-api-1 ${expected}`]);
  });
});
