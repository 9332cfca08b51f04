import type { TestProject } from "vitest/node";
import { composeGlobalSetup } from "../index.js";
const setup: (project: TestProject) => Promise<() => Promise<void>> = composeGlobalSetup({ files: ["x"] });
export default setup;
