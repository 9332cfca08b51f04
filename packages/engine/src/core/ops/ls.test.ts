import type Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { summarizeProjects } from "./ls.js";

function container(project: string, state: string, files: string): Docker.ContainerInfo {
  return {
    State: state,
    Labels: { "com.docker.compose.project": project, "com.docker.compose.project.config_files": files },
  } as unknown as Docker.ContainerInfo;
}

describe("summarizeProjects (ls)", () => {
  it("sorts projects by name in byte order, as compose's sort.Strings does", () => {
    // A locale-aware sort puts a_b before a-b; compose sorts bytes: "-" (0x2d) < "_" (0x5f).
    const names = summarizeProjects([
      container("a_b", "running", "/p/compose.yaml"),
      container("ab", "running", "/p/compose.yaml"),
      container("a-b", "running", "/p/compose.yaml"),
      container("B", "running", "/p/compose.yaml"),
    ]).map((p) => p.name);
    expect(names).toEqual(["B", "a-b", "a_b", "ab"]);
  });

  it("combines states and config files of a project's containers", () => {
    expect(
      summarizeProjects([
        container("shop", "running", "/s/compose.yaml,/s/override.yaml"),
        container("shop", "exited", "/s/compose.yaml"),
        container("shop", "running", "/s/compose.yaml"),
      ]),
    ).toEqual([
      { name: "shop", status: "exited(1), running(2)", configFiles: "/s/compose.yaml,/s/override.yaml" },
    ]);
  });
});
