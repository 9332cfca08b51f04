// `pnpm exec vitest run --config examples/ci-stack/vitest.config.ts`: the globalSetup example.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "@berth/compose-schema": root("packages/compose-schema/src/index.ts"),
      "@berth/engine": root("packages/engine/src/index.ts"),
    },
  },
  test: {
    root: fileURLToPath(new URL(".", import.meta.url)),
    include: ["vitest/*.spec.ts"],
    globalSetup: ["vitest/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 180_000,
  },
});
