import type { Project, ServiceConfig } from "@berth/compose-schema";
import { describe, expect, it } from "vitest";
import { projectOf } from "../../../../../test/helpers/project-of.js";
import { sessionPlan } from "./session-options.js";

const api: ServiceConfig = {
  name: "api",
  build: {
    context: "/p/api",
    secrets: [{ source: "token" }, { source: "key", target: "api_key" }],
    ssh: ["default", "deploy=./keys/deploy.sock,/abs/other.sock"],
  },
};
const project: Project = projectOf([api], {
  secrets: { token: { name: "token", file: "/p/token.txt" }, key: { name: "key", environment: "API_KEY" } },
});

describe("sessionPlan", () => {
  it("serves secrets by target or name, ssh ids with paths from the project folder, the context over filesync", () => {
    const plan = sessionPlan(project, api, {
      pathInContext: "docker/app.Dockerfile",
      text: "",
      file: "/p/api/docker/app.Dockerfile",
    });
    expect(plan).toEqual({
      options: {
        secrets: { token: { file: "/p/token.txt" }, api_key: { env: "API_KEY" } },
        ssh: { default: [], deploy: ["/p/keys/deploy.sock", "/abs/other.sock"] },
        dirs: { context: { path: "/p/api" }, dockerfile: { path: "/p/api/docker" } },
      },
      contextOverSession: true,
      dockerfileParam: "app.Dockerfile",
    });
  });

  it("sends an inline Dockerfile's context as a tar, and refuses a secret with no source", () => {
    const inline = sessionPlan(
      projectOf([{ name: "x", build: { context: "/p" } }]),
      { name: "x", build: { context: "/p" } },
      {
        pathInContext: ".berth-inline.Dockerfile",
        text: "FROM x",
        added: "FROM x",
      },
    );
    expect(inline).toMatchObject({ contextOverSession: false, dockerfileParam: ".berth-inline.Dockerfile" });
    expect(inline.options.dirs).toBeUndefined();
    const external = { name: "x", build: { context: "/p", secrets: [{ source: "ext" }] } };
    expect(() =>
      sessionPlan(projectOf([external], { secrets: { ext: { name: "ext", external: true } } }), external, {
        pathInContext: "Dockerfile",
        text: "",
        file: "/p/Dockerfile",
      }),
    ).toThrow(
      "service x: build.secrets: secret ext needs a top-level definition with file: or environment: to be used in a build",
    );
  });
});
