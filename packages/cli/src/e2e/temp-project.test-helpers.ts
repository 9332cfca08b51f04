import { afterAll, beforeAll } from "vitest";
import { uniqueProject } from "../../../../test/helpers/docker.js";
import { type CliResult, type CliRun, runBerth, tempProject } from "./harness.js";

export interface TempProject {
  project: string;
  /** `berth -p <project> ARGS` in the project's directory. */
  berth(args: string[], opts?: Omit<CliRun, "cwd">): Promise<CliResult>;
  /** The directory; it exists from beforeAll to afterAll. */
  dir(): string;
}

/**
 * A uniquely named project whose `files` (given the project's name, to write it into them) are written
 * to a temp directory in beforeAll, so that a run filtering the tests out leaves nothing behind, and
 * removed in afterAll once `cleanup` has removed what the tests made on the engine.
 */
export function useTempProject(
  name: string,
  files: (project: string) => Record<string, string>,
  cleanup: (project: string) => Promise<void>,
): TempProject {
  const project = uniqueProject(name);
  let made: ReturnType<typeof tempProject> | undefined;
  beforeAll(() => {
    made = tempProject(files(project));
  });
  afterAll(async () => {
    try {
      await cleanup(project);
    } finally {
      made?.cleanup();
    }
  }, 60_000);
  const dir = () => {
    if (!made) throw new Error("the project's directory exists only while its tests run");
    return made.dir;
  };
  return {
    project,
    berth: (args, opts = {}) => runBerth(["-p", project, ...args], { ...opts, cwd: dir() }),
    dir,
  };
}
