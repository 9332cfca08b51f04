import type Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { Labels } from "../../base/labels.js";
import { pickContainer } from "./select.js";

function container(id: string, number: number, oneoff = false): Docker.ContainerInfo {
  return {
    Id: id,
    Names: [`/${id}`],
    Labels: { [Labels.containerNumber]: String(number), [Labels.oneoff]: oneoff ? "True" : "False" },
  } as unknown as Docker.ContainerInfo;
}

describe("pickContainer", () => {
  it("takes the lowest-numbered service container, one-off (run) containers last, as compose does", () => {
    const run = container("run", 1, true);
    expect(pickContainer([run, container("web-3", 3), container("web-2", 2)])?.Id).toBe("web-2");
    expect(pickContainer([run])?.Id).toBe("run");
  });

  it("takes container number index when one is asked for, and nothing when it is not there", () => {
    const all = [container("web-1", 1), container("web-2", 2)];
    expect(pickContainer(all, 2)?.Id).toBe("web-2");
    expect(pickContainer(all, 7)).toBeUndefined();
    expect(pickContainer([])).toBeUndefined();
  });
});
