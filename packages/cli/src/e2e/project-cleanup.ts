import { runCommand } from "./harness.js";

/**
 * Removes every container, network and volume labelled with the project, whatever state a failed test
 * left it in. Uses the docker CLI so that cleanup does not depend on the code under test.
 */
export async function removeProject(project: string): Promise<void> {
  const filter = `label=com.docker.compose.project=${project}`;
  const ids = async (args: string[]) =>
    (await runCommand("docker", [...args, "--filter", filter, "-q"])).stdout.split("\n").filter(Boolean);
  const containers = await ids(["ps", "-a"]);
  if (containers.length) await runCommand("docker", ["rm", "-f", "-v", ...containers]);
  const networks = await ids(["network", "ls"]);
  if (networks.length) await runCommand("docker", ["network", "rm", ...networks]);
  const volumes = await ids(["volume", "ls"]);
  if (volumes.length) await runCommand("docker", ["volume", "rm", "-f", ...volumes]);
}
