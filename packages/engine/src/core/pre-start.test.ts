import type { ServiceConfig } from "@berth/compose-schema";
import { describe, expect, it } from "vitest";
import { makeProject } from "../../../../test/helpers/project.js";
import type { ObservedContainer } from "../base/observe.js";
import { containerSpec } from "./container-spec.js";
import type { ContainerAction } from "./plan.js";
import { hookImageServices, preStartSpec, runsPreStart } from "./pre-start.js";

const app: Omit<ServiceConfig, "image"> = {
  name: "app",
  environment: { WHO: "service", EMPTY: null },
  networks: { default: null, back: { aliases: ["api"] } },
  pre_start: [{ command: ["./migrate"], environment: { STEP: "one", WHO: "hook" } }],
};

function container(state: string, number = 1): ObservedContainer {
  return {
    id: `id${number}`,
    name: `p-app-${number}`,
    service: "app",
    number,
    oneoff: false,
    hook: false,
    state,
    imageId: "sha256:x",
    image: "x",
    configHash: "",
    labels: {},
  };
}

describe("runsPreStart", () => {
  const withHooks = makeProject("p", [app]).services.app as ServiceConfig;
  const actions = (...a: ContainerAction[]) => a;

  it("runs the hooks when none of the service's containers keeps running", () => {
    expect(runsPreStart(withHooks, actions({ type: "create", service: "app", number: 1 }))).toBe(true);
    expect(
      runsPreStart(withHooks, actions({ type: "start", service: "app", container: container("exited") })),
    ).toBe(true);
    const recreate = {
      type: "recreate",
      service: "app",
      number: 1,
      container: container("running"),
      reason: "x",
    };
    expect(runsPreStart(withHooks, actions(recreate as ContainerAction))).toBe(true);
  });

  it("does not run them while a replica runs on, nor when there is nothing to start", () => {
    const scaleUp = actions(
      { type: "keep", service: "app", container: container("running") },
      { type: "create", service: "app", number: 2 },
    );
    expect(runsPreStart(withHooks, scaleUp)).toBe(false);
    expect(
      runsPreStart(withHooks, actions({ type: "keep", service: "app", container: container("running") })),
    ).toBe(false);
    const { pre_start: _, ...without } = withHooks;
    expect(runsPreStart(without, actions({ type: "create", service: "app", number: 1 }))).toBe(false);
  });
});

describe("preStartSpec", () => {
  it("runs the service's image with the service's environment, volumes and networks, labelled as a hook", () => {
    const project = makeProject("p", [app], {
      networks: { default: { name: "p_default" }, back: { name: "p_back" } },
    });
    const service = project.services.app as ServiceConfig;
    const spec = containerSpec({ project, service, number: 1 });
    const hook = preStartSpec(project, service, service.pre_start?.[0] ?? {}, { id: "target-id", spec });
    expect(hook.options).toMatchObject({
      Image: "berth-examples/busybox:latest",
      Cmd: ["./migrate"],
      Labels: {
        "com.docker.compose.project": "p",
        "com.docker.compose.service": "app",
        "com.docker.compose.hook": "pre_start",
      },
      HostConfig: {
        NetworkMode: spec.options.HostConfig?.NetworkMode,
        VolumesFrom: ["target-id"],
        Privileged: false,
      },
      NetworkingConfig: spec.options.NetworkingConfig,
    });
    // The hook's variables come after the service's, so the engine keeps the hook's WHO.
    expect(hook.options.Env?.slice(-2)).toEqual(["STEP=one", "WHO=hook"]);
    expect(hook.options.Env).toEqual(expect.arrayContaining(["WHO=service"]));
    expect(hook.options.Labels).not.toHaveProperty("com.docker.compose.container-number");
    expect(hook.extraNetworks).toEqual(spec.extraNetworks);
  });

  it("runs its own image, user and working directory when it names them", () => {
    const project = makeProject("p", [app]);
    const service = project.services.app as ServiceConfig;
    const spec = containerSpec({ project, service, number: 1 });
    const hook = preStartSpec(
      project,
      service,
      { image: "tools:1", user: "1000", working_dir: "/w", privileged: true },
      { id: "t", spec },
    );
    expect(hook.options).toMatchObject({ Image: "tools:1", User: "1000", WorkingDir: "/w" });
    expect(hook.options.HostConfig?.Privileged).toBe(true);
    expect(hook.options).not.toHaveProperty("Cmd");
  });
});

describe("hookImageServices", () => {
  it("pulls each hook's own image under its service's pull policy, as compose does", () => {
    const hooks = [{ image: "tools:1" }, { command: ["true"] }, { image: "berth-examples/busybox:latest" }];
    const project = makeProject("p", [
      { name: "app", pre_start: hooks },
      { name: "built", pull_policy: "build", pre_start: [{ image: "tools:1" }] },
      { name: "offline", pull_policy: "never", pre_start: [{ image: "tools:2" }] },
    ]);
    expect(hookImageServices(project, ["app", "built", "offline"])).toEqual([
      { name: "app:pre_start 0", image: "tools:1" },
      // A hook image cannot be built: `build` pulls it when missing.
      { name: "built:pre_start 0", image: "tools:1", pull_policy: "missing" },
    ]);
    expect(hookImageServices(project, ["offline"])).toEqual([]);
  });
});
