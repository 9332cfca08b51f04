import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources; the built dist is only for the bin and benchmarks.
    alias: {
      "@berth/compose-schema": src("compose-schema"),
      "@berth/engine": src("engine"),
    },
  },
  test: {
    include: ["packages/*/src/**/*.test.ts", "test/**/*.test.ts", "examples/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Type-level tests (`*.test-d.ts`, expectTypeOf) run through tsc with the package's own settings.
    typecheck: {
      enabled: true,
      include: ["packages/cli/src/**/*.test-d.ts"],
      tsconfig: "packages/cli/tsconfig.json",
    },
  },
});
