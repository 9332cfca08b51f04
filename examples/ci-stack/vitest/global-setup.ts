// Starts the ci-stack once for the whole vitest run and hands its published ports to the tests
// (`inject("berthStack")`); the stack is removed when the run ends, also when it is interrupted.
import { fileURLToPath } from "node:url";
import { Wait, composeGlobalSetup } from "@berth/engine";

const here = (file: string) => fileURLToPath(new URL(`../${file}`, import.meta.url));

export default composeGlobalSetup({
  files: [here("compose.yaml"), here("compose.vitest.yaml")],
  wait: { api: Wait.forHttp("/healthz", 3000) },
  timeoutMs: 120_000,
});
