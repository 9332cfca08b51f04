import { readFileSync, writeFileSync } from "node:fs";
import type Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { Labels } from "../../base/labels.js";
import { formatSteps } from "../plan-steps.js";
import { commitStep, copyStep, execStep, exportStep } from "./op-steps.js";
import { NoContainerError, numberedContainer, pickContainer } from "./select.js";

// The one-step plans of commit, export, exec and cp as text, checked against golden/ops.txt.
// BERTH_UPDATE_GOLDEN=1 rewrites the file; review the diff before committing it.
const UPDATE = process.env.BERTH_UPDATE_GOLDEN === "1";
const GOLDEN = new URL("../plan/golden/ops.txt", import.meta.url);

function container(name: string, number: number, oneoff = false): Docker.ContainerInfo {
  return {
    Id: `id-${name}`,
    Names: [`/${name}`],
    Labels: {
      [Labels.service]: "web",
      [Labels.containerNumber]: String(number),
      [Labels.oneoff]: oneoff ? "True" : "False",
    },
  } as unknown as Docker.ContainerInfo;
}

// `running`: what commit and export choose from (a one-off `run` container goes last); `all`: the replicas
// exec and cp choose from by number, running or not (exec then refuses one that is not running).
const run = container("shop-web-run-1a2b", 1, true);
const running = [run, container("shop-web-3", 3), container("shop-web-2", 2)];
const all = [container("shop-web-1", 1), container("shop-web-2", 2), container("shop-web-3", 3)];
const first = (c: Docker.ContainerInfo | undefined) => {
  if (!c) throw new Error("no container");
  return c;
};

const plans: [string, ReturnType<typeof commitStep>][] = [
  ["commit web shop/web:snapshot", commitStep(first(pickContainer(running)), "shop/web:snapshot")],
  ["commit --index 3 web", commitStep(first(pickContainer(running, 3)))],
  ["export -o web.tar web", exportStep(first(pickContainer(running)), "web.tar")],
  ["export web > web.tar", exportStep(first(pickContainer(running)))],
  ["exec web sh -c 'echo $HOME'", execStep(numberedContainer(all, "web", 1), ["sh", "-c", "echo $HOME"])],
  ["exec --index 2 web env", execStep(numberedContainer(all, "web", 2), ["env"])],
  [
    "cp ./app.conf web:/etc/app.conf",
    copyStep(numberedContainer(all, "web", 1), "./app.conf", "web:/etc/app.conf"),
  ],
  ["cp --index 3 web:/var/log ./logs", copyStep(numberedContainer(all, "web", 3), "web:/var/log", "./logs")],
];

describe("commit, export, exec and cp plans (golden/ops.txt)", () => {
  it("plans each command as the file says", () => {
    const text = plans.map(([command, step]) => `## ${command}\n${formatSteps([step])}`).join("\n");
    if (UPDATE) writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, "utf8"));
  });

  it("refuses a container number the service does not have, as the real exec and cp do", () => {
    expect(() => numberedContainer(all, "web", 4)).toThrow(NoContainerError);
  });
});
