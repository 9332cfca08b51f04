// What global-setup.ts provides to the tests, for `inject("berthStack")`'s type.
import type { ProvidedTestStack } from "@berth/engine";

declare module "vitest" {
  export interface ProvidedContext {
    berthStack: ProvidedTestStack;
  }
}
