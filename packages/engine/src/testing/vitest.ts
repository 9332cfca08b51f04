import { hostBinding, httpUrl } from "../base/readiness/ports.js";
import { NoContainerError } from "../core/ops/select.js";
import { type StartTestStackOptions, startTestStack } from "./start-test-stack.js";
import type { TestStack } from "./test-stack.js";

/** What a vitest `globalSetup` receives (vitest 3's `TestProject`), as far as this helper uses it. */
export interface ProvideContext {
  provide(key: string, value: unknown): void;
}

/** Provided as `berthStack`: the stack's name and every published port of each service's first container. */
export interface ProvidedTestStack {
  projectName: string;
  /** `ports[service]["80/tcp"]` is the host port, `urls[service]["80/tcp"]` its `http://127.0.0.1:port`. */
  ports: Record<string, Record<string, number>>;
  urls: Record<string, Record<string, string>>;
}

export interface ComposeGlobalSetupOptions extends StartTestStackOptions {
  /** More values to `provide`, computed from the running stack (e.g. a database URL). */
  provide?: (stack: TestStack) => Promise<Record<string, unknown>> | Record<string, unknown>;
}

async function describeTestStack(stack: TestStack): Promise<ProvidedTestStack> {
  const provided: ProvidedTestStack = { projectName: stack.name, ports: {}, urls: {} };
  for (const service of Object.keys(stack.project.services)) {
    const container = await stack.container(service).catch((err: unknown) => {
      if (err instanceof NoContainerError) return undefined; // scaled to 0
      throw err;
    });
    const info = await container?.inspect();
    for (const key of Object.keys(info?.NetworkSettings.Ports ?? {})) {
      const [port, protocol] = key.split("/");
      const binding = info && hostBinding(info, Number(port), protocol);
      if (!binding) continue;
      provided.ports[service] = { ...provided.ports[service], [key]: binding.port };
      if (protocol === "tcp")
        provided.urls[service] = { ...provided.urls[service], [key]: httpUrl(binding, "/") };
    }
  }
  return provided;
}

/**
 * A vitest `globalSetup`: starts the stack once for the whole run, provides `berthStack` (see
 * `ProvidedTestStack`) and what `options.provide` returns to the tests (`inject`), and removes the stack
 * when the run ends.
 */
export function composeGlobalSetup(
  options: ComposeGlobalSetupOptions,
): (project: ProvideContext) => Promise<() => Promise<void>> {
  return async (project) => {
    const { provide, ...stackOptions } = options;
    const stack = await startTestStack(stackOptions);
    try {
      project.provide("berthStack", await describeTestStack(stack));
      for (const [key, value] of Object.entries((await provide?.(stack)) ?? {})) project.provide(key, value);
    } catch (err) {
      await stack.down();
      throw err;
    }
    return () => stack.down();
  };
}
